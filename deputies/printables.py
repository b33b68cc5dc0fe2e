"""A deputy's duty record (履职档案) for one year as a PDF, from the same selectors as the portal's record page
(deputies.selectors.duty_record with the registered sources, checklist_for): the portal's download and the admin's."""
from collections import Counter

from django.utils import timezone

from congress.lib.pdf import render_pdf
from deputies import selectors
from deputies.models import Deputy, Mandate


def year_param(value) -> int:
    """?year= of a record link: a year from 2000 to 2100, else this year."""
    try:
        year = int(value or "")
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def duty_record_context(deputy: Deputy, year: int) -> dict:
    items = selectors.duty_record(deputy, year)
    kinds = Counter(item.kind for item in items)
    mandates = (Mandate.objects.filter(deputy=deputy, status=Mandate.Status.SERVING)
                .select_related("term", "constituency", "delegation"))
    return {
        "deputy": deputy, "year": year, "items": sorted(items, key=lambda i: i.date),
        "kinds": sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])), "checklist": selectors.checklist_for(deputy, year),
        "mandates": list(mandates), "today": timezone.localdate(), "title": f"{deputy.full_name}代表{year}年度履职档案",
    }


def duty_record_pdf(deputy: Deputy, year: int) -> bytes:
    return render_pdf("pdf/deputies/duty_record.html", duty_record_context(deputy, year))


def duty_record_filename(deputy: Deputy, year: int) -> str:
    return f"{deputy.full_name}{year}年履职档案.pdf"
