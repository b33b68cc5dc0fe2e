"""congress.lib.uploads: what each kind of upload accepts (extension and content), the size caps, the random stored
names; and that nothing in the project links a stored file directly or serves /media/, not even with DEBUG on.
The forms and views that take and serve files are tested in deputies/tests/test_files.py and
proposals/tests/test_files.py."""
import importlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import clear_url_caches, get_resolver

from congress.lib import uploads
from congress.services import CongressError
from tests.files import good, hostile, image_bytes, over_size, upload

ROOT = Path(__file__).resolve().parent.parent.parent
PROJECT_APPS = ("congress", "deputies", "stations", "proposals", "supervision")


class TestCheck:
    @pytest.mark.parametrize(("kind", "types"), [
        ("attachment", ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "png"]),
        ("letter", ["pdf"]),
        ("report", ["pdf", "doc", "docx"]),
        ("photo", ["jpg", "png"]),
    ])
    def test_it_accepts_each_allowed_type_with_matching_content(self, kind, types):
        for ext in types:
            assert uploads.check(good(ext), kind) == ext

    @pytest.mark.parametrize("kind", list(uploads.KINDS))
    @pytest.mark.parametrize("name", ["html", "svg", "pdf_that_is_html", "docx_that_is_text"])
    def test_it_refuses_the_hostile_files_for_every_kind(self, kind, name):
        with pytest.raises(CongressError) as refused:
            uploads.check(hostile(name), kind)
        assert uploads.KINDS[kind].message in refused.value.messages[0]

    def test_a_pdf_that_is_html_is_named_as_such(self):
        with pytest.raises(CongressError, match="“答复函.pdf”不是有效的 PDF 文件"):
            uploads.check(hostile("pdf_that_is_html"), "letter")

    def test_a_docx_must_hold_a_word_document_and_an_xlsx_a_workbook(self):
        xlsx_as_docx = upload("表格.docx", good("xlsx").read())
        with pytest.raises(CongressError, match="不是有效的 Word 文件"):
            uploads.check(xlsx_as_docx, "attachment")
        docx_as_xlsx = upload("文件.xlsx", good("docx").read())
        with pytest.raises(CongressError, match="不是有效的 Excel 文件"):
            uploads.check(docx_as_xlsx, "attachment")

    def test_a_zip_that_is_not_office_is_refused(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("index.html", "<script></script>")
        with pytest.raises(CongressError):
            uploads.check(upload("报告.docx", out.getvalue()), "report")

    def test_an_empty_file_is_refused(self):
        with pytest.raises(CongressError):
            uploads.check(upload("空.pdf", b""), "attachment")

    def test_documents_and_images_have_their_own_size_caps(self, settings):
        settings.UPLOAD_MAX_MB_DOCUMENT, settings.UPLOAD_MAX_MB_IMAGE = 1, 2
        with pytest.raises(CongressError, match="文件不能超过 1 MB"):
            uploads.check(over_size("大.pdf", 1), "letter")
        assert uploads.check(over_size("大.jpg", 1), "photo") == "jpg"
        with pytest.raises(CongressError, match="文件不能超过 2 MB"):
            uploads.check(over_size("大.jpg", 2), "photo")

    def test_the_extension_is_read_case_blind_and_jpeg_counts_as_jpg(self):
        assert uploads.check(upload("PHOTO.JPEG", image_bytes()), "photo") == "jpg"


class TestNames:
    def test_a_stored_name_is_random_in_a_dated_folder_with_the_allowed_extension(self):
        name = uploads.UploadTo("suggestions/attachments")(None, "../../<script>调研 报告.PDF")
        assert re.fullmatch(r"suggestions/attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", name)

    def test_an_unknown_extension_is_never_kept(self):
        assert uploads.UploadTo("x")(None, "page.html").endswith(".bin")

    def test_the_original_name_loses_folders_and_control_characters_and_fits_the_column(self):
        assert uploads.original_name(upload("调研\r\n报告.pdf", b"x")) == "调研报告.pdf"
        long = uploads.original_name(upload("长" * 300 + ".docx", b"x"), max_length=200)
        assert len(long) == 200 and long.endswith(".docx")


class TestReencoding:
    def test_a_photo_is_shrunk_and_saved_as_a_new_jpeg_without_exif(self, settings):
        from PIL import Image

        settings.UPLOAD_IMAGE_LONG_SIDE = 100
        source = io.BytesIO()
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        Image.new("RGB", (400, 200), (1, 2, 3)).save(source, "PNG", exif=exif)
        result = uploads.reencode_image(upload("位置.png", source.getvalue()))
        with Image.open(result) as image:
            assert image.format == "JPEG" and image.size == (100, 50) and not image.getexif()
        assert re.fullmatch(r"[0-9a-f]{32}\.jpg", result.name)

    def test_a_png_signature_with_garbage_after_it_is_refused(self):
        with pytest.raises(CongressError, match="不是有效的图片"):
            uploads.reencode_image(upload("坏.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10))


def _file_fields():
    return sorted({f.name for m in apps.get_models() if m._meta.app_label in PROJECT_APPS
                   for f in m._meta.get_fields() if isinstance(f, models.FileField)})


def _project_files(pattern):
    for app in (*PROJECT_APPS, "templates"):
        for path in (ROOT / app).rglob(pattern):
            if "migrations" not in path.parts and "tests" not in path.parts:
                yield path


def test_every_file_field_of_the_project_is_a_private_one():
    found = [(m._meta.label, f.name) for m in apps.get_models() if m._meta.app_label in PROJECT_APPS
             for f in m._meta.get_fields() if isinstance(f, models.FileField) and not m.__name__.startswith("Historical")]
    assert found, "no file fields found"
    for label, name in found:
        field = apps.get_model(label)._meta.get_field(name)
        assert isinstance(field, uploads.PrivateFileField) and field.view and field.kind in uploads.KINDS, (label, name)


def test_no_template_or_python_code_links_a_stored_files_url():
    """`.url` of a file field would be a /media/ link on another storage: every link names the protected view."""
    names = _file_fields()
    assert {"file", "letter", "attachment", "photo", "image"} <= set(names)
    link = re.compile(rf"\.(?:{'|'.join(names)})\.url\b")
    offenders = [f"{path.relative_to(ROOT)}:{n}" for pattern in ("*.html", "*.py") for path in _project_files(pattern)
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if link.search(line)]
    assert not offenders, offenders
    # and nothing points at MEDIA_URL
    media = [str(p.relative_to(ROOT)) for p in _project_files("*.html") if "MEDIA_URL" in p.read_text(encoding="utf-8")]
    assert not media


def test_a_stored_files_url_is_the_protected_view(db, tmp_path, settings):
    from django.core.files.base import ContentFile

    from deputies.models import Deputy
    from tests.sample import sample_id_number

    settings.MEDIA_ROOT = tmp_path
    from congress.models import Organization

    town = Organization.objects.create(name="城东街道", kind=Organization.Kind.STREET)
    deputy = Deputy.objects.create(full_name="周代表", gender="M", id_number=sample_id_number(1), town=town)
    deputy.photo.save("x.jpg", ContentFile(image_bytes()))
    assert deputy.photo.url == f"/portal/deputies/{deputy.pk}/photo/"


@pytest.fixture
def debug_urls(settings):
    """The URLconf as a DEBUG=1 process builds it."""
    import congress.urls

    settings.DEBUG = True
    importlib.reload(congress.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(congress.urls)
    clear_url_caches()


def test_media_is_never_served_not_even_with_debug(db, settings, tmp_path, debug_urls):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "suggestions" / "attachments" / "2026" / "01"
    folder.mkdir(parents=True)
    (folder / "secret.pdf").write_bytes(b"%PDF-1.4 CONTENT-OF-THE-FILE")
    (tmp_path / "page.html").write_bytes(b"<script>alert('CONTENT-OF-THE-FILE')</script>")
    client = Client()
    for url in ("/media/suggestions/attachments/2026/01/secret.pdf", "/media/page.html"):
        response = client.get(url)
        assert response.status_code == 404 and b"CONTENT-OF-THE-FILE" not in response.content
    routes = [str(p.pattern) for p in get_resolver().url_patterns]
    assert not [r for r in routes if r.startswith("media")]


def test_no_code_serves_a_folder_with_djangos_static_view():
    offenders = [str(p.relative_to(ROOT)) for p in _project_files("*.py")
                 if re.search(r"django\.views\.static|\bstatic\(settings\.MEDIA", p.read_text(encoding="utf-8"))]
    assert not offenders
