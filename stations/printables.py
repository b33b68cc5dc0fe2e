"""The station's A4 poster (PDF) staff print and put up at the door: the station's name and address, its opening
hours and contact, the deputies stationed there, the announced reception days (接待选民日) and the QR code that opens
the opinion form on a voter's phone. The code is drawn by segno as SVG and embedded as a data: URL, so the PDF
fetches nothing."""
import base64
import datetime
import io

from django.db.models import Prefetch

from congress.lib.pdf import render_pdf
from stations.models import ReceptionDay, ReceptionDuty, Station

RECEPTIONS_ON_POSTER = 6


def qr_data_url(text: str, title: str = "") -> str:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=10, border=2, title=title[:60] or None)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def poster_context(station: Station, *, opinion_url: str, today: datetime.date) -> dict:
    duties = Prefetch("duties", queryset=ReceptionDuty.objects.select_related("deputy").order_by("pk"))
    receptions = list(ReceptionDay.objects.filter(station=station, status=ReceptionDay.Status.SCHEDULED, date__gte=today)
                      .prefetch_related(duties).order_by("date", "starts_at")[:RECEPTIONS_ON_POSTER])
    deputies = [a.deputy for a in station.assignments.select_related("deputy").order_by("-is_resident", "deputy__full_name")]
    return {"station": station, "receptions": receptions, "deputies": deputies, "opinion_url": opinion_url,
            "qr": qr_data_url(opinion_url, station.name), "today": today, "title": f"{station.name}公示牌"}


def station_poster_pdf(station: Station, *, opinion_url: str, today: datetime.date) -> bytes:
    return render_pdf("pdf/stations/poster.html", poster_context(station, opinion_url=opinion_url, today=today))
