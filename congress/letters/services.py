"""Issuing an official letter: take the next number of its kind and year under a row lock, render the GB/T 9704 layout
once (congress.lib.pdf) and keep the PDF. Nothing rewrites a letter: a corrected one is issued anew with a new number."""
from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from congress.letters.models import LetterCounter, LetterKind, OfficialLetter
from congress.lib.pdf import render_pdf
from congress.predicates import is_committee_staff

CODE_SETTINGS = {LetterKind.ASSIGNMENT: "LETTER_CODE_ASSIGNMENT", LetterKind.SUPERVISION: "LETTER_CODE_SUPERVISION",
                 LetterKind.REMINDER: "LETTER_CODE_REMINDER",
                 LetterKind.RATING_REMINDER: "LETTER_CODE_RATING_REMINDER",
                 LetterKind.RATING_SUMMARY: "LETTER_CODE_RATING_SUMMARY"}


def _error(message: str):
    from congress.services import CongressError

    return CongressError(message)


@dataclass
class LetterTable:
    """The table a letter carries as its attachment (交办函: the suggestions handed over)."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass
class LetterContent:
    """What the calling app says; congress adds the number, the issuing organ, the date and the layout."""

    title: str
    paragraphs: Sequence[str]
    table: LetterTable | None = None
    attachments: Sequence[str] = field(default_factory=list)


def letter_number(kind: str, year: int, sequence: int) -> str:
    """发文字号 as GB/T 9704 writes it: 代字〔2026〕3号 (hexagonal brackets, no leading zeros, no 第)."""
    code = settings.CONGRESS_RULES[CODE_SETTINGS[kind]]
    return f"{code}〔{year}〕{sequence}号"


def chinese_date(day: datetime.date) -> str:
    """成文日期 in Arabic numerals without leading zeros (GB/T 9704 7.3.5.1): 2026年3月9日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _next_sequence(kind: str, year: int) -> int:
    # get_or_create runs its insert in a savepoint and reads the row back when a concurrent transaction made it first;
    # the lock then makes the second of two simultaneous letters wait until the first has taken its number.
    LetterCounter.objects.get_or_create(kind=kind, year=year)
    counter = LetterCounter.objects.select_for_update().get(kind=kind, year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


@transaction.atomic
def letter_issue(*, actor, kind: str, addressee, content: LetterContent, subject=None, subject_text: str = "",
                 issued_on: datetime.date | None = None) -> OfficialLetter:
    """Number, render and keep one letter to `addressee` (an Organization). `subject` is the record it is about (an
    assignment) or None with `subject_text` saying what it covers. Only the committee's staff issue letters; the
    calling app has already checked that its record may have this letter now."""
    if not is_committee_staff(actor):
        raise _error("只有常委会机关工作人员可以发函")
    if kind not in LetterKind.values:
        raise _error("没有这种公文")
    if addressee is None:
        raise _error("请指定主送机关")
    if not content.title.strip() or not any(p.strip() for p in content.paragraphs):
        raise _error("公文须有标题和正文")
    issued_on = issued_on or timezone.localdate()
    year = issued_on.year
    sequence = _next_sequence(kind, year)
    number = letter_number(kind, year, sequence)
    rules = settings.CONGRESS_RULES
    context = {
        "issuer": rules["LETTER_ISSUER"], "number": number, "title": content.title, "addressee": addressee.name,
        "paragraphs": [p for p in content.paragraphs if p.strip()], "table": content.table,
        "attachments": list(content.attachments) or ([content.table.title] if content.table else []),
        "issued_on": chinese_date(issued_on), "copy_to": rules["LETTER_COPY_TO"], "kind_label": LetterKind(kind).label,
        "printed_on": chinese_date(timezone.localdate()),
    }
    data = render_pdf("pdf/letters/official.html", context)
    letter = OfficialLetter(
        kind=kind, year=year, sequence=sequence, number=number, addressee=addressee, title=content.title[:200],
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None, subject_text=subject_text[:200],
        issued_on=issued_on, created_by=actor)
    letter.file.save(f"{kind}.pdf", ContentFile(data), save=False)
    letter.save()
    return letter
