"""Files of the suggestion lifecycle through the pages people use: the deputy's suggestion form (attachments), the
unit's reply form (the signed PDF letter) and 会办意见 form (an attachment). Hostile and over-size files are refused
with a Chinese message and leave no row and no file; good ones are stored under random names; each file is served
only to whoever may see its object, as a download."""
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse

from conftest import client_for
from proposals import services
from proposals.models import AssistOpinion, Reply, Suggestion, SuggestionAttachment
from proposals.tests.conftest import pdf
from tests.files import HOSTILE, good, hostile, is_random_name, over_size, stored

pytestmark = pytest.mark.django_db
ATTACHMENTS_ONLY = "附件只能是 PDF、Word、Excel 或 JPG/PNG 图片"
LETTER_ONLY = "答复函只能是 PDF 文件"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _new(client, *files, title="关于加快老旧小区加装电梯的建议"):
    return client.post(reverse("proposals:portal_new"), {
        "title": title, "content": "居民上下楼困难。", "attachments": list(files)})


def _shown(response) -> str:
    """The page and the messages it carries (a form error, or a refusal the view turned into a message)."""
    return response.content.decode() + "".join(str(m) for m in get_messages(response.wsgi_request))


def _is_download(response, filename: str = "") -> bool:
    disposition = response["Content-Disposition"]
    return (response.status_code == 200 and disposition.startswith("attachment")
            and response["X-Content-Type-Options"] == "nosniff"
            and (not filename or filename in disposition))


class TestTheSuggestionForm:
    @pytest.mark.parametrize("name", list(HOSTILE))
    def test_it_refuses_a_hostile_attachment_and_stores_nothing(self, lead, deputy_user, session, media, name):
        response = _new(client_for(deputy_user), hostile(name))
        assert response.status_code == 200 and ATTACHMENTS_ONLY in _shown(response)
        assert not Suggestion.objects.exists() and not SuggestionAttachment.objects.exists() and not stored(media)

    def test_it_refuses_an_over_size_attachment(self, lead, deputy_user, session, media, settings):
        settings.UPLOAD_MAX_MB_DOCUMENT = 1
        response = _new(client_for(deputy_user), over_size("调研报告.pdf", 1))
        assert response.status_code == 200 and "文件不能超过 1 MB" in _shown(response)
        assert not Suggestion.objects.exists() and not stored(media)

    def test_one_bad_file_among_good_ones_refuses_them_all(self, lead, deputy_user, session, media):
        response = _new(client_for(deputy_user), good("pdf"), good("docx"), hostile("svg"))
        assert response.status_code == 200 and not SuggestionAttachment.objects.exists() and not stored(media)

    def test_good_attachments_are_stored_under_random_names_and_keep_theirs_for_download(self, lead, deputy_user,
                                                                                        session, media):
        client = client_for(deputy_user)
        files = [good(ext) for ext in ("pdf", "doc", "docx", "xls", "xlsx", "jpg", "png")]
        assert _new(client, *files).status_code == 302
        rows = list(SuggestionAttachment.objects.order_by("id"))
        assert [r.name for r in rows] == [f"调研材料.{ext}" for ext in ("pdf", "doc", "docx", "xls", "xlsx", "jpg", "png")]
        for row, ext in zip(rows, ("pdf", "doc", "docx", "xls", "xlsx", "jpg", "png"), strict=True):
            assert is_random_name(row.file.name, "suggestions/attachments", ext), row.file.name
        assert len(stored(media)) == 7
        response = client.get(reverse("proposals:attachment", args=[rows[0].pk]))
        # the person's name comes back only in the download header (RFC 6266 filename*)
        assert _is_download(response, "filename*=UTF-8''%E8%B0%83%E7%A0%94%E6%9D%90%E6%96%99.pdf")
        assert response["Content-Type"] == "application/pdf" and response.getvalue().startswith(b"%PDF-")
        image = client.get(reverse("proposals:attachment", args=[rows[5].pk]))
        assert _is_download(image) and image["Content-Type"] == "image/jpeg"  # not re-encoded: a download too

    def test_the_edit_form_refuses_a_hostile_file_too(self, flow, deputy_user, media):
        s = flow.draft()
        response = client_for(deputy_user).post(reverse("proposals:portal_edit", args=[s.pk]), {
            "title": "改过的标题", "content": "内容", "attachments": [hostile("pdf_that_is_html")]})
        s.refresh_from_db()
        assert response.status_code == 200 and ATTACHMENTS_ONLY in _shown(response)
        assert s.title != "改过的标题" and not s.attachments.exists() and not stored(media)

    def test_the_service_refuses_before_writing_anything(self, lead, deputy_user, session, media):
        from congress.services import CongressError

        with pytest.raises(CongressError):
            services.suggestion_create(actor=deputy_user, title="标题", content="内容", session=session,
                                       attachments=[good("pdf"), hostile("html")])
        assert not Suggestion.objects.exists() and not stored(media)


class TestWhoReadsAnAttachment:
    @pytest.fixture
    def attachment(self, flow):
        s = flow.draft()
        services.suggestion_update_draft(actor=flow.deputy_user, suggestion=s, attachments=[good("pdf")])
        return s.attachments.get()

    def test_anonymous_is_sent_to_log_in(self, attachment):
        response = client_for(None).get(reverse("proposals:attachment", args=[attachment.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_outsiders_get_not_found(self, attachment, other_deputy_user, unit_user, outsider, town_staff,
                                     other_town_staff):
        url = reverse("proposals:attachment", args=[attachment.pk])
        for user in (other_deputy_user, unit_user, outsider, town_staff, other_town_staff):
            assert client_for(user).get(url).status_code == 404, user.username

    def test_the_deputy_downloads_it_and_staff_once_it_is_submitted(self, attachment, deputy_user, staff):
        url = reverse("proposals:attachment", args=[attachment.pk])
        assert _is_download(client_for(deputy_user).get(url))
        assert client_for(staff).get(url).status_code == 404  # a draft is the deputy's own
        services.suggestion_submit(actor=deputy_user, suggestion=attachment.suggestion)
        assert _is_download(client_for(staff).get(url))

    def test_an_old_file_of_another_type_is_only_ever_a_download(self, flow, deputy_user, media):
        s = flow.draft()
        old = SuggestionAttachment(suggestion=s, name="旧页面.html")
        old.file.name = "suggestions/attachments/2025/旧页面.html"  # stored before the allow-list, keeps its path
        (media / "suggestions/attachments/2025").mkdir(parents=True)
        (media / old.file.name).write_bytes(b"<script>alert(1)</script>")
        old.save()
        response = client_for(deputy_user).get(reverse("proposals:attachment", args=[old.pk]))
        assert _is_download(response) and response["Content-Type"] == "application/octet-stream"

    def test_with_nginx_django_only_names_the_internal_location(self, attachment, deputy_user, settings, media):
        from django_sendfile.utils import _get_sendfile

        settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
        _get_sendfile.cache_clear()
        try:
            response = client_for(deputy_user).get(reverse("proposals:attachment", args=[attachment.pk]))
        finally:
            _get_sendfile.cache_clear()
        assert response["X-Accel-Redirect"] == f"/protected-media/{attachment.file.name}"
        assert response.content == b"" and response["Content-Disposition"].startswith("attachment")


class TestTheReplyForm:
    @pytest.mark.parametrize("name", list(HOSTILE))
    def test_it_refuses_a_letter_that_is_not_a_pdf_and_stores_nothing(self, flow, unit_org, unit_user, media, name):
        s, (a,) = flow.assigned(unit_org)
        response = client_for(unit_user).post(reverse("unit:reply", args=[a.pk]),
                                              {"letter": hostile(name), "result": "A"}, follow=True)
        assert LETTER_ONLY in _shown(response)
        assert not Reply.objects.exists() and not stored(media)

    def test_it_refuses_an_over_size_letter(self, flow, unit_org, unit_user, media, settings):
        settings.UPLOAD_MAX_MB_DOCUMENT = 1
        s, (a,) = flow.assigned(unit_org)
        response = client_for(unit_user).post(reverse("unit:reply", args=[a.pk]),
                                              {"letter": over_size("答复函.pdf", 1), "result": "A"}, follow=True)
        assert "文件不能超过 1 MB" in _shown(response) and not Reply.objects.exists() and not stored(media)

    def test_a_good_letter_is_stored_under_a_random_name(self, flow, unit_org, unit_user, media):
        s, (a,) = flow.assigned(unit_org)
        response = client_for(unit_user).post(reverse("unit:reply", args=[a.pk]), {"letter": pdf(), "result": "A"})
        assert response.status_code == 302
        assert is_random_name(Reply.objects.get().letter.name, "suggestions/replies", "pdf")


class TestWhoReadsALetter:
    def test_an_unpublished_letter_is_for_the_suggestions_people_only(self, flow, unit_org, unit_user, unit3_user,
                                                                       deputy_user, other_deputy_user, staff, outsider):
        s, a, reply = flow.replied(unit_org, unit_user)
        url = reverse("proposals:reply_letter", args=[reply.pk])
        assert client_for(None).get(url).status_code == 404
        for user in (other_deputy_user, unit3_user, outsider):
            assert client_for(user).get(url).status_code == 404, user.username
        for user in (deputy_user, unit_user, staff):
            assert _is_download(client_for(user).get(url), "filename="), user.username

    def test_a_published_letter_is_public(self, flow, unit_org, unit_user, staff):
        s, a, reply = flow.replied(unit_org, unit_user)
        services.reply_publish(actor=staff, reply=reply)
        response = client_for(None).get(reverse("proposals:reply_letter", args=[reply.pk]))
        assert _is_download(response) and response["Content-Type"] == "application/pdf"
        assert response.getvalue().startswith(b"%PDF-")

    def test_the_admin_links_the_letter_through_the_view(self, flow, unit_org, unit_user, staff):
        s, a, reply = flow.replied(unit_org, unit_user)
        client = client_for(staff)
        url = reverse("proposals:reply_letter", args=[reply.pk])
        for page in (reverse("admin:proposals_reply_changelist"), reverse("admin:proposals_reply_change", args=[reply.pk]),
                     reverse("admin:proposals_assignment_change", args=[a.pk])):
            html = client.get(page).content.decode()
            assert f'href="{url}"' in html and "/media/" not in html, page


class TestTheOpinionForm:
    @pytest.fixture
    def assisting(self, flow, unit_org, unit2):
        s, made = flow.assigned(unit_org, assisting=[unit2])
        return next(a for a in made if a.unit == unit2)

    @pytest.mark.parametrize("name", list(HOSTILE))
    def test_it_refuses_a_hostile_attachment(self, assisting, unit2_user, media, name):
        response = client_for(unit2_user).post(reverse("unit:opinion", args=[assisting.pk]),
                                               {"content": "建议结合管网改造", "attachment": hostile(name)}, follow=True)
        assert ATTACHMENTS_ONLY in _shown(response)
        assert not AssistOpinion.objects.exists() and not stored(media)

    def test_a_good_attachment_is_stored_and_read_by_the_lead_unit_and_staff_only(
            self, assisting, unit2_user, unit_user, unit3_user, deputy_user, other_deputy_user, staff, outsider):
        response = client_for(unit2_user).post(reverse("unit:opinion", args=[assisting.pk]),
                                               {"content": "建议结合管网改造", "attachment": good("xlsx")})
        assert response.status_code == 302
        opinion = AssistOpinion.objects.get()
        assert is_random_name(opinion.attachment.name, "suggestions/opinions", "xlsx")
        url = reverse("proposals:opinion_attachment", args=[opinion.pk])
        lead = assisting.suggestion.assignments.get(unit=unit_user.organization)
        assert f'href="{url}"' in client_for(unit_user).get(reverse("unit:detail", args=[lead.pk])).content.decode()
        for user in (unit_user, unit2_user, staff):
            assert _is_download(client_for(user).get(url), ".xlsx"), user.username
        for user in (unit3_user, deputy_user, other_deputy_user, outsider):
            assert client_for(user).get(url).status_code == 404, user.username
        assert client_for(None).get(url).status_code == 302


def test_a_content_file_from_the_demo_is_checked_like_an_upload(flow, unit_org, unit_user):
    """The services take any file object: the demo's ContentFile letters pass the same check."""
    s, (a,) = flow.assigned(unit_org)
    reply = services.assignment_reply(actor=unit_user, assignment=a, result="A",
                                      letter=ContentFile(pdf().read(), name="答复函.pdf"))
    assert re.search(r"\.pdf$", reply.letter.name)
