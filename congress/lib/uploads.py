"""Uploaded files: which types each field accepts and how big, the random name a file is stored under, and the one
way a stored file leaves the server.

Every upload of the project is one of the KINDS below. `check` refuses a file whose extension is not allowed, whose
content does not start with that type's signature (a `.pdf` that is really HTML, a `.docx` that is a renamed text
file) or which is over the size cap (settings UPLOAD_MAX_MB_DOCUMENT / UPLOAD_MAX_MB_IMAGE). The model field
(`PrivateFileField`), its form field (`CheckedFileField`) and the services that take uploads all call it, so a refused
file never reaches the database or the disk. Photos are re-encoded as JPEG (`reencode_image`), which also drops EXIF
data such as the GPS position of a deputy's phone.

Files are never served from /media/: each field names the view that checks who may read the object, and
`PrivateFieldFile.url` is that view's URL, so even Django's admin widgets link through the check. `serve` answers
with django-sendfile2 (nginx X-Accel-Redirect in production, streamed by Django in the demo), as a download unless
the file is an image the project re-encoded."""
import io
import os
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy

# type → (Chinese name, content type); the extension a stored file gets is one of these keys
TYPES = {
    "pdf": ("PDF", "application/pdf"),
    "doc": ("Word", "application/msword"),
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xls": ("Excel", "application/vnd.ms-excel"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": ("JPG", "image/jpeg"),
    "png": ("PNG", "image/png"),
}
ALIASES = {"jpeg": "jpg"}
IMAGES = {"jpg", "png"}

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Word 97-2003 and Excel 97-2003
ZIP = b"PK\x03\x04"
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "doc": (OLE2,),
    "xls": (OLE2,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
OOXML_FOLDER = {"docx": "word/", "xlsx": "xl/"}


@dataclass(frozen=True)
class Kind:
    types: tuple[str, ...]
    message: str          # what may be uploaded, as the refusal says it
    size_setting: str     # the setting that caps a file's size in MB
    reencode: bool = False


KINDS = {
    "attachment": Kind(("pdf", "doc", "docx", "xls", "xlsx", "jpg", "png"), "附件只能是 PDF、Word、Excel 或 JPG/PNG 图片",
                       "UPLOAD_MAX_MB_DOCUMENT"),
    "letter": Kind(("pdf",), "答复函只能是 PDF 文件", "UPLOAD_MAX_MB_DOCUMENT"),
    "report": Kind(("pdf", "doc", "docx"), "述职报告文件只能是 PDF 或 Word 文件", "UPLOAD_MAX_MB_DOCUMENT"),
    "photo": Kind(("jpg", "png"), "照片只能是 JPG 或 PNG 图片", "UPLOAD_MAX_MB_IMAGE", reencode=True),
    "pdf": Kind(("pdf",), "报告和审议意见文件只能是 PDF 文件", "UPLOAD_MAX_MB_DOCUMENT"),
}


def _refuse(message: str):
    from congress.services import CongressError  # services import models, which import this module

    return CongressError(message)


def extension_of(name: str) -> str:
    ext = os.path.splitext(name or "")[1].lstrip(".").lower()
    return ALIASES.get(ext, ext)


def max_mb(kind: str) -> int:
    return getattr(settings, KINDS[kind].size_setting)


def original_name(upload, max_length: int = 200) -> str:
    """The name the person's file had, without folders or control characters, cut to fit a name column."""
    return clean_name(str(getattr(upload, "name", "") or ""), max_length)


def clean_name(name: str, max_length: int = 200) -> str:
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(c for c in unicodedata.normalize("NFC", name) if c.isprintable() and c not in '"\r\n')
    if len(name) > max_length:
        stem, ext = os.path.splitext(name)
        name = stem[:max_length - len(ext)] + ext
    return name


def _head(upload, size: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _content_matches(upload, ext: str) -> bool:
    if not _head(upload).startswith(SIGNATURES[ext]):
        return False
    folder = OOXML_FOLDER.get(ext)
    if folder is None:
        return True
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def check(upload, kind: str) -> str:
    """Refuse (CongressError, a ValidationError) an upload that is not one of the kind's types by its extension and its
    content, or that is over the kind's size cap. Returns the file's type (its extension as stored)."""
    rule = KINDS[kind]
    name = original_name(upload) or "文件"
    ext = extension_of(name)
    if ext not in rule.types:
        raise _refuse(f"“{name}”不能上传：{rule.message}")
    limit = max_mb(kind)
    if (upload.size or 0) > limit * 1024 * 1024:
        raise _refuse(f"“{name}”太大：文件不能超过 {limit} MB")
    if not upload.size or not _content_matches(upload, ext):
        raise _refuse(f"“{name}”不是有效的 {TYPES[ext][0]} 文件（内容与扩展名不符）：{rule.message}")
    return ext


def check_all(uploads, kind: str) -> list:
    """Every file checked before any is stored: one bad file refuses the lot."""
    uploads = [u for u in uploads if u]
    for upload in uploads:
        check(upload, kind)
    return uploads


def reencode_image(upload) -> ContentFile:
    """A checked JPG/PNG decoded by Pillow, shrunk to UPLOAD_IMAGE_LONG_SIDE on its long side and saved as a new JPEG:
    whatever else the file carried (EXIF, a GPS position, trailing bytes) is gone."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    check(upload, "photo")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(f"“{original_name(upload) or '照片'}”不是有效的图片：{KINDS['photo'].message}")
    side = settings.UPLOAD_IMAGE_LONG_SIDE
    image.thumbnail((side, side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=settings.UPLOAD_IMAGE_JPEG_QUALITY, optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


# ------------------------------------------------------------------------------------------------ storing

@deconstructible
class UploadTo:
    """`<folder>/<year>/<month>/<uuid4 hex>.<type>`: the person's file name never reaches the disk (nor a URL)."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = extension_of(filename)
        ext = ext if ext in TYPES else "bin"
        return f"{self.folder}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.folder == self.folder


@deconstructible
class KindValidator:
    """The model field's validator: a new upload is checked; a file already stored (old paths included) is left alone,
    so an unrelated edit of the row never fails on it."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, value):
        if value and not getattr(value, "_committed", True):
            check(value.file, self.kind)

    def __eq__(self, other):
        return isinstance(other, KindValidator) and other.kind == self.kind


class PrivateFieldFile(FieldFile):
    @property
    def url(self) -> str:
        """The protected view's URL (never /media/…): whatever links to a file goes through the permission check."""
        self._require_file()
        view = getattr(self.field, "view", "")
        if not view or self.instance.pk is None:
            return ""
        try:
            return reverse(view, args=[self.instance.pk])
        except NoReverseMatch:
            return ""


def accept(kind: str) -> str:
    """The file input's `accept` attribute: the phone's picker offers only what the server takes."""
    types = KINDS[kind].types
    return ",".join(f".{t}" for t in types) + (",.jpeg" if "jpg" in types else "")


def _help_text(kind: str) -> str:
    return f"{KINDS[kind].message}，每个文件不超过 {max_mb(kind)} MB"


help_text = lazy(_help_text, str)


class CheckedFileField(forms.FileField):
    """A form's file field for one kind: refused files are a form error in Chinese; photos come back re-encoded."""

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("help_text", help_text(kind))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", accept(kind))

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and isinstance(value, File) and not isinstance(value, FieldFile):
            if KINDS[self.kind].reencode:
                return reencode_image(value)
            check(value, self.kind)
        return value


class PrivateFileField(models.FileField):
    """A FileField for one kind of upload, stored under a random name in `folder`, read only through `view` (a URL name
    taking the row's pk). `kind` and `folder` are part of the migration state; `view` is not."""

    attr_class = PrivateFieldFile

    def __init__(self, verbose_name=None, name=None, *, kind: str = "attachment", folder: str = "files", view: str = "",
                 **kwargs):
        self.kind, self.folder, self.view = kind, folder, view
        kwargs["upload_to"] = UploadTo(folder)
        super().__init__(verbose_name, name, **kwargs)
        self.default_validators = [KindValidator(kind)]

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("upload_to", None)
        kwargs["kind"], kwargs["folder"] = self.kind, self.folder
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedFileField, "kind": self.kind, **kwargs})


# ------------------------------------------------------------------------------------------------ serving

def serve(request, file: FieldFile, *, filename: str = "", inline_image: bool = False):
    """The stored file through django-sendfile2, after the caller's permission check. A download (Content-Disposition:
    attachment) with the type its extension stands for, or application/octet-stream for an old file of another type;
    inline only for an image the project re-encoded (`inline_image`) whose content really is JPEG or PNG."""
    from django_sendfile import sendfile

    if not file:
        raise Http404("文件不存在")
    try:
        path = file.path
    except (NotImplementedError, ValueError, AttributeError):
        raise Http404("文件不存在") from None
    if not os.path.isfile(path):
        raise Http404("文件不存在")
    ext = extension_of(file.name)
    content_type = TYPES[ext][1] if ext in TYPES else "application/octet-stream"
    inline = False
    if inline_image and ext in IMAGES:
        with open(path, "rb") as handle:
            inline = handle.read(8).startswith(SIGNATURES[ext])
    name = clean_name(filename)
    if ext in TYPES and extension_of(name) != ext:
        name = f"{os.path.splitext(name)[0] or '文件'}.{ext}"
    response = sendfile(request, path, attachment=not inline, attachment_filename=name or os.path.basename(path),
                        mimetype=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # a file opened on its own never runs script in this site's origin, whatever a browser makes of it
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
