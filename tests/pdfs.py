"""Read a generated PDF in tests: its page count, its text (to check figures) and its bookmarks."""

from dataclasses import dataclass, field
from io import BytesIO

from pypdf import PdfReader


@dataclass
class PdfContents:
    pages: int
    text: str
    page_texts: list[str] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)
    fonts: set[str] = field(default_factory=set)


def _titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(_titles(item))
        else:
            titles.append(item.title)
    return titles


def read_pdf(data: bytes) -> PdfContents:
    assert data.startswith(b"%PDF-"), "not a PDF"
    reader = PdfReader(BytesIO(data))
    page_texts = [page.extract_text() or "" for page in reader.pages]
    # Extracted CJK text may carry spaces or line breaks between glyphs; tests compare without them.
    joined = "".join("".join(text.split()) for text in page_texts)
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(font.get_object().get("/BaseFont", "")))
    return PdfContents(
        pages=len(reader.pages), text=joined, page_texts=page_texts, bookmarks=_titles(reader.outline), fonts=fonts
    )
