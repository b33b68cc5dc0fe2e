"""Measure similar_suggestions on the labelled sample (30 suggestions, 8 clusters): precision@3.

    DEBUG=1 .venv/bin/python benchmarks/similarity.py
"""
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from proposals.similarity_sample import SAMPLE, precision_at_3  # noqa: E402

started = time.perf_counter()
value = precision_at_3()
print(f"similar_suggestions: precision@3 = {value:.3f} on {len(SAMPLE)} suggestions "
      f"({len({label for label, _, _ in SAMPLE})} clusters), {time.perf_counter() - started:.2f} s")
