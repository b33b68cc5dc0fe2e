"""PDF rendering with WeasyPrint: one function every report, letter and printable uses.

- Chinese text needs a CJK font named in the stylesheet (Debian's fonts-noto-cjk: "Noto Serif CJK SC",
  "Noto Sans CJK SC"); ``templates/pdf/base.html`` names them. WeasyPrint subsets fonts by default, so a
  document carries only the glyphs it uses (a few hundred KiB, not the 30 MB font).
- The document may load only our own static files (stylesheets, images, fonts): the URL fetcher refuses
  every other address, so a value typed by a user can never make the server fetch a URL.
- Rendering holds the whole document in memory; long documents are rendered in a Celery worker
  (CELERY_WORKER_MAX_TASKS_PER_CHILD returns the memory).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

PDF_CONTENT_TYPE = "application/pdf"
STATIC_SCHEME_PREFIX = "static:"


class PdfFetchRefused(ValueError):
    """A document asked for a resource outside our static files."""


def static_path(relative: str) -> Path | None:
    """The file behind a static path such as ``pdf/letter.css``, or None."""
    found = finders.find(relative.lstrip("/"))
    return Path(found) if found else None


def _static_relative(url: str) -> str | None:
    parsed = urlparse(url)
    if url.startswith(STATIC_SCHEME_PREFIX):
        return unquote(url[len(STATIC_SCHEME_PREFIX):])
    if parsed.scheme == "file" and settings.STATIC_URL and parsed.path.startswith(settings.STATIC_URL):
        return unquote(parsed.path[len(settings.STATIC_URL):])
    return None


def _url_fetcher(url: str):
    """Open ``static:`` addresses (and the STATIC_URL prefix) from the static folders and ``data:`` URLs;
    refuse every other address. Returns WeasyPrint's response object."""
    from weasyprint.urls import URLFetcherResponse

    if url.startswith("data:"):
        from urllib.request import urlopen

        with urlopen(url) as handle:  # noqa: S310 - only data: URLs reach this line
            return URLFetcherResponse(url, handle.read(), {"Content-Type": handle.headers.get_content_type()})
    relative = _static_relative(url)
    if relative is None or ".." in Path(relative).parts:
        raise PdfFetchRefused(url)
    path = static_path(relative)
    if path is None:
        raise PdfFetchRefused(url)
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


def _fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return _url_fetcher(url)

    return StaticOnlyFetcher()


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string to PDF bytes (fonts subset, only static files fetched)."""
    from weasyprint import HTML

    return HTML(string=html, base_url="file:///", url_fetcher=_fetcher()).write_pdf()


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    """Render a Django template (usually extending ``pdf/base.html``) to PDF bytes."""
    html = render_to_string(template_name, context or {})
    return html_to_pdf(html)


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """An HTTP response carrying a PDF under a Chinese file name (RFC 5987 ``filename*``)."""
    response = HttpResponse(data, content_type=PDF_CONTENT_TYPE)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename=\"document.pdf\"; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
