"""Official letters: numbers per kind and year under a lock, the GB/T 9704 layout's parts in the PDF, the file behind
its permission check, a unit's own letters in its workspace."""
import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login_verified
from congress import roles
from congress.letters.models import LetterKind, OfficialLetter
from congress.letters.services import LetterContent, LetterTable, letter_issue, letter_number
from congress.models import LetterCounter, Organization
from congress.services import CongressError, create_user_with_role
from tests.pdfs import read_pdf


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def content(title="关于交办代表建议的函", rows=()):
    table = LetterTable("交办建议清单（1件）", ["序号", "建议编号"], rows) if rows else None
    return LetterContent(title=title, paragraphs=["现将代表建议交由你单位办理。", "特此函告。"], table=table)


def issue(staff, unit, kind=LetterKind.ASSIGNMENT, day=datetime.date(2026, 3, 10), **kwargs):
    return letter_issue(actor=staff, kind=kind, addressee=unit, content=kwargs.pop("content", content()), issued_on=day,
                        subject_text="测试", **kwargs)


class TestNumbers:
    def test_two_letters_get_consecutive_numbers(self, staff, unit_org):
        first, second = issue(staff, unit_org), issue(staff, unit_org)
        assert (first.sequence, second.sequence) == (1, 2)
        assert first.number == "江海人大办交〔2026〕1号" and second.number == "江海人大办交〔2026〕2号"

    def test_numbering_restarts_each_year_and_each_kind_has_its_own(self, staff, unit_org):
        issue(staff, unit_org, day=datetime.date(2026, 12, 31))
        issue(staff, unit_org, day=datetime.date(2026, 12, 31))
        new_year = issue(staff, unit_org, day=datetime.date(2027, 1, 4))
        reminder = issue(staff, unit_org, kind=LetterKind.REMINDER, day=datetime.date(2027, 1, 4))
        assert new_year.number == "江海人大办交〔2027〕1号"
        assert reminder.number == "江海人大办函〔2027〕1号"
        assert LetterCounter.objects.get(kind=LetterKind.ASSIGNMENT, year=2026).last_sequence == 2

    def test_the_code_is_a_setting(self, settings):
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "LETTER_CODE_SUPERVISION": "区人大办督"}
        assert letter_number(LetterKind.SUPERVISION, 2026, 12) == "区人大办督〔2026〕12号"

    def test_only_committee_staff_issue_and_a_refusal_uses_no_number(self, staff, leader, unit_user, unit_org):
        for actor in (leader, unit_user):
            with pytest.raises(CongressError, match="只有常委会机关工作人员可以发函"):
                issue(actor, unit_org)
        assert not OfficialLetter.objects.exists()
        assert issue(staff, unit_org).sequence == 1

    def test_a_letter_needs_a_body(self, staff, unit_org):
        with pytest.raises(CongressError, match="公文须有标题和正文"):
            issue(staff, unit_org, content=LetterContent(title="函", paragraphs=[" "]))


@pytest.mark.django_db(transaction=True)
def test_two_letters_issued_at_once_never_share_a_number(staff, unit_org):
    """Two threads, two connections: the counter row's lock orders them, each gets its own number."""
    from congress.lib import pdf

    barrier, errors = threading.Barrier(2), []
    original = pdf.render_pdf

    def run():
        try:
            barrier.wait(timeout=30)
            issue(staff, unit_org)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert pdf.render_pdf is original and not errors, errors
    assert sorted(OfficialLetter.objects.values_list("sequence", flat=True)) == [1, 2]


class TestLayout:
    def test_the_pdf_has_every_part_of_the_layout(self, staff, unit_org):
        letter = issue(staff, unit_org, content=content(rows=[("1", "区十七届人大二次会议第0007号")]))
        with letter.file.open("rb") as handle:
            document = read_pdf(handle.read())
        text = document.text
        for part in ("江海区人大常委会办公室", "江海人大办交〔2026〕1号", "关于交办代表建议的函", "区住房和城乡建设局：",
                     "现将代表建议交由你单位办理", "附件：", "交办建议清单（1件）", "区十七届人大二次会议第0007号",
                     "（印章）", "2026年3月10日", "抄送：江海区人民政府办公室", "印发"):
            assert part in text, part
        assert any("CJK" in font for font in document.fonts)
        assert document.pages == 2  # the table is the attachment, on its own page
        assert letter.file.name.startswith("letters/") and letter.file.name.endswith(".pdf")


def _get(user, url):
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client.get(url)


class TestAccess:
    def test_the_file_opens_for_staff_leaders_and_the_addressed_unit_only(
            self, staff, leader, unit_user, unit_org, deputy_user, town_staff, outsider):
        letter = issue(staff, unit_org)
        other_unit = create_user_with_role(username="unit_other", password="x", role=roles.HANDLING_UNIT,
                                           organization=Organization.objects.create(
                                               name="区财政局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True))
        url = reverse("congress:letter_file", args=[letter.pk])
        assert letter.file.url == url
        for user in (staff, leader, unit_user):
            response = _get(user, url)
            assert response.status_code == 200, user
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
        for user in (other_unit, deputy_user, town_staff, outsider):
            assert _get(user, url).status_code == 403, user
        assert _get(None, url).status_code == 302
        assert _get(staff, reverse("congress:letter_file", args=[letter.pk + 999])).status_code == 404

    def test_a_unit_lists_its_own_letters_only(self, staff, unit_user, unit_org):
        mine = issue(staff, unit_org)
        other = issue(staff, Organization.objects.create(name="区财政局", kind=Organization.Kind.DEPARTMENT))
        response = _get(unit_user, reverse("unit_letters:list"))
        assert response.status_code == 200
        page = response.content.decode()
        assert mine.number in page and other.number not in page
        assert "收到的公文" in page

    def test_the_unit_list_is_for_units(self, staff, deputy_user, outsider):
        for user in (staff, deputy_user, outsider):
            assert _get(user, reverse("unit_letters:list")).status_code == 403
        assert _get(None, reverse("unit_letters:list")).status_code == 302

    def test_the_lists_query_count_does_not_grow(self, staff, unit_user, unit_org):
        issue(staff, unit_org)
        counts = []
        for _ in range(2):
            client = Client()
            login_verified(client, unit_user)
            client.get(reverse("unit_letters:list"))
            with CaptureQueriesContext(connection) as unit_page:
                assert client.get(reverse("unit_letters:list")).status_code == 200
            admin_client = Client()
            login_verified(admin_client, staff)
            with CaptureQueriesContext(connection) as admin_page:
                assert admin_client.get(reverse("admin:congress_officialletter_changelist")).status_code == 200
            counts.append((len(unit_page), len(admin_page)))
            for _ in range(5):
                issue(staff, unit_org)
        assert counts[0] == counts[1], counts

    def test_the_admin_list_links_the_file_and_edits_nothing(self, staff, unit_org):
        letter = issue(staff, unit_org)
        client = Client()
        login_verified(client, staff)
        page = client.get(reverse("admin:congress_officialletter_changelist")).content.decode()
        assert reverse("congress:letter_file", args=[letter.pk]) in page and letter.number in page
        change = reverse("admin:congress_officialletter_change", args=[letter.pk])
        assert client.get(change).status_code == 200
        assert client.post(change, {"title": "改"}).status_code == 403
        assert client.get(reverse("admin:congress_officialletter_add")).status_code == 403
