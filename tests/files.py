"""Files for the upload tests: real small documents and images of each allowed type, the hostile ones a security review
tried (an .html page, an .svg with script, a .pdf that is really HTML, a .docx that is a renamed text file), and a way
to see what landed under MEDIA_ROOT."""
import io
import re
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SCRIPT = b"<html><body><script>fetch('/admin/').then(r => r.text())</script></body></html>"
RANDOM_NAME = r"\d{4}/\d{2}/[0-9a-f]{32}\."


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _ooxml(folder: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return out.getvalue()


def docx_bytes() -> bytes:
    return _ooxml("word")


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def doc_bytes() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def image_bytes(kind="JPEG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, kind)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def good(ext: str) -> SimpleUploadedFile:
    content = {"pdf": pdf_bytes, "doc": doc_bytes, "docx": docx_bytes, "xls": doc_bytes, "xlsx": xlsx_bytes,
               "jpg": image_bytes, "png": lambda: image_bytes("PNG")}[ext]()
    return upload(f"调研材料.{ext}", content)


# name → what the browser sends; every one is refused whatever the field
HOSTILE = {
    "html": lambda: upload("说明.html", SCRIPT, "text/html"),
    "svg": lambda: upload("图示.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                          "image/svg+xml"),
    "pdf_that_is_html": lambda: upload("答复函.pdf", SCRIPT, "application/pdf"),
    "docx_that_is_text": lambda: upload("报告.docx", "这是一个改了扩展名的文本文件".encode(), "application/octet-stream"),
}


def hostile(name: str) -> SimpleUploadedFile:
    return HOSTILE[name]()


def over_size(name: str = "大文件.pdf", mb: int = 1) -> SimpleUploadedFile:
    """A valid-looking PDF (or JPEG by its name) one byte over `mb` MB."""
    head = image_bytes() if name.endswith(".jpg") else pdf_bytes()
    return upload(name, head + b"\x00" * (mb * 1024 * 1024 + 1 - len(head)))


def stored(root) -> set[str]:
    """Every file under MEDIA_ROOT, as paths relative to it."""
    root = Path(root)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def is_random_name(name: str, folder: str, ext: str) -> bool:
    return re.fullmatch(rf"{re.escape(folder)}/{RANDOM_NAME}{ext}", name) is not None
