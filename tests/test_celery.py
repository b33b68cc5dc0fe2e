"""The Celery app runs real workers: with Redis (production) and on the filesystem transport (the demo)."""
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from congress.selectors import system_counts

ROOT = Path(__file__).resolve().parent.parent


def _db_url() -> str:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _env(**extra) -> dict:
    env = {**os.environ, "DATABASE_URL": _db_url(), "SECRET_KEY": "test", **extra}
    return env


def _start_worker(env, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "congress", "worker", "--pool=solo", "--loglevel=warning", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(worker):
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        return worker.communicate(timeout=20)[0].decode(errors="replace")
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        return worker.communicate()[0].decode(errors="replace")


def _send_heartbeat(env, queue) -> str:
    code = ("import django; django.setup(); from congress.tasks import heartbeat; "
            f"print(heartbeat.apply_async(queue={queue!r}).get(timeout=60))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "congress.settings"},
                          capture_output=True, timeout=90)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.decode().strip().splitlines()[-1]


def _expected() -> str:
    counts = system_counts()
    return f"deputies={counts['deputies']} stations={counts['stations']}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_a_task_through_redis(town_a, term):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        if os.environ.get("CI"):
            pytest.fail("CI must provide REDIS_URL (scripts/test.sh starts Redis)")
        pytest.skip("no REDIS_URL")
    from tests.sample import make_sample

    make_sample(town=town_a, term=term)
    env = _env(REDIS_URL=redis_url)
    queue = f"test-{uuid.uuid4().hex}"  # a queue of its own: no other worker on this Redis can take the task
    worker = _start_worker(env, "-Q", queue)
    try:
        assert _send_heartbeat(env, queue) == _expected() == "deputies=1 stations=1"
    finally:
        _stop(worker)


@pytest.mark.django_db(transaction=True)
def test_the_demo_worker_runs_without_redis(tmp_path, town_a, term):
    from tests.sample import make_sample

    make_sample(town=town_a, term=term)
    env = _env(REDIS_URL="", VAR_DIR=str(tmp_path))
    worker = _start_worker(env, "-B", "--schedule", str(tmp_path / "beat-schedule"))
    try:
        assert _send_heartbeat(env, "celery") == "deputies=1 stations=1"
    finally:
        log = _stop(worker)
    assert "Traceback" not in log, log[-3000:]
