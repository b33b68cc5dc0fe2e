"""交办函, 督办函 and 提醒函 from the assignments: the letters' words come from the records (numbers, addressee, the
table of suggestions), each issue is a step on the suggestion's timeline, a wrong state or a wrong person is refused
with nothing numbered."""
import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from conftest import login_verified
from congress.letters.models import LetterKind, OfficialLetter
from congress.models import LetterCounter, StateChange
from congress.services import CongressError
from proposals import services
from proposals.models import Assignment
from tests.pdfs import read_pdf

A = Assignment.Status
pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def text_of(letter) -> str:
    with letter.file.open("rb") as handle:
        return read_pdf(handle.read()).text


def refused(call, text):
    letters, steps = OfficialLetter.objects.count(), StateChange.objects.count()
    with pytest.raises(CongressError) as exc:
        call()
    assert text in " ".join(exc.value.messages)
    assert OfficialLetter.objects.count() == letters and StateChange.objects.count() == steps
    assert not LetterCounter.objects.filter(last_sequence__gt=0).exists() or letters


class TestAssignmentLetter:
    def test_one_letter_lists_every_suggestion_given_to_the_unit_that_day(self, flow, staff, unit_org, unit2):
        s1, made1 = flow.assigned(unit_org, assigned_on=DAY, title="关于加快老旧小区加装电梯的建议")
        s2, made2 = flow.assigned(unit_org, assigned_on=DAY, title="关于增设社区养老服务站的建议")
        flow.assigned(unit2, assigned_on=DAY, title="关于优化公交线路的建议")
        flow.assigned(unit_org, assigned_on=DAY + datetime.timedelta(days=1), title="关于整治河道的建议")
        letter = services.assignment_letter_issue(actor=staff, assignment=made1[0], note="请于三月底前报送办理计划。")
        assert letter.kind == LetterKind.ASSIGNMENT and letter.addressee == unit_org
        assert letter.number == f"江海人大办交〔{letter.issued_on.year}〕1号"
        text = text_of(letter)
        for part in (letter.number, f"关于交办{s1.batch_label()}代表建议的函", "区住房和城乡建设局：", "2件建议",
                     s1.number, s2.number, "关于增设社区养老服务站的建议", "周代表", "主办", "请于三月底前报送办理计划",
                     "交办建议清单（2件）", "江海区人大常委会办公室"):
            assert part in text, part
        assert "关于优化公交线路的建议" not in text and "关于整治河道的建议" not in text
        steps = StateChange.objects.filter(action="letter_assign")
        assert sorted(steps.values_list("object_id", flat=True)) == sorted([made1[0].pk, made2[0].pk])
        assert all(letter.number in step.reason and step.actor == staff for step in steps)
        assert Assignment.objects.get(pk=made1[0].pk).status == A.ASSIGNED  # a letter changes no state

    def test_a_second_letter_is_a_new_letter_with_the_next_number(self, flow, staff, unit_org):
        _, made = flow.assigned(unit_org, assigned_on=DAY)
        first = services.assignment_letter_issue(actor=staff, assignment=made[0])
        second = services.assignment_letter_issue(actor=staff, assignment=made[0])
        assert second.pk != first.pk and second.sequence == first.sequence + 1
        assert first.file.name != second.file.name

    def test_a_sent_back_assignment_gets_no_letter(self, flow, staff, unit_org):
        _, made = flow.assigned(unit_org, assigned_on=DAY)
        Assignment.objects.filter(pk=made[0].pk).update(status=A.SENT_BACK)
        refused(lambda: services.assignment_letter_issue(actor=staff, assignment=made[0]), "不能发交办函")

    def test_only_committee_staff_issue(self, flow, leader, unit_user, town_staff, unit_org):
        _, made = flow.assigned(unit_org, assigned_on=DAY)
        for actor in (leader, unit_user, town_staff):
            refused(lambda actor=actor: services.assignment_letter_issue(actor=actor, assignment=made[0]), "常委会机关工作人员")


class TestSupervisionLetter:
    def test_an_open_assignment_gets_a_supervision_letter_with_the_suggestions_number(self, flow, staff, unit_org,
                                                                                      working_body):
        s, made = flow.assigned(unit_org, assigned_on=DAY)
        services.suggestion_mark_priority(actor=staff, suggestion=s, supervising_leader="李主任",
                                          government_official="王副区长", supervising_body=working_body, reason="")
        letter = services.assignment_supervision_letter_issue(actor=staff, assignment=made[0])
        text = text_of(letter)
        assert letter.kind == LetterKind.SUPERVISION and letter.subject == made[0]
        for part in (letter.number, "江海人大办督", f"关于督办{s.number}代表建议的函", "区住房和城乡建设局：",
                     s.title, "重点督办", "李主任", "2026年3月10日"):
            assert part in text, part
        assert StateChange.objects.filter(action="letter_supervise", object_id=made[0].pk).exists()

    def test_a_replied_assignment_is_not_supervised(self, flow, staff, unit_org, unit_user):
        _, assignment, _ = flow.replied(unit_org, unit_user, assigned_on=DAY)
        refused(lambda: services.assignment_supervision_letter_issue(actor=staff, assignment=assignment), "不能发督办函")

    def test_the_unit_cannot_supervise_itself(self, flow, unit_user, unit_org):
        _, made = flow.assigned(unit_org, assigned_on=DAY)
        refused(lambda: services.assignment_supervision_letter_issue(actor=unit_user, assignment=made[0]),
                "常委会机关工作人员")


class TestReminderLetter:
    def test_an_overdue_assignment_gets_a_reminder_saying_how_late(self, flow, staff, unit_org):
        s, made = flow.assigned(unit_org, assigned_on=DAY)
        due = Assignment.objects.get(pk=made[0].pk).current_due_date
        with freeze_time(due + datetime.timedelta(days=5)):
            letter = services.assignment_reminder_letter_issue(actor=staff, assignment=made[0])
            text = text_of(letter)
        assert letter.kind == LetterKind.REMINDER and letter.number.startswith("江海人大办函〔")
        for part in (letter.number, s.number, "逾期未答复的提醒函", "已逾期5天", "区住房和城乡建设局："):
            assert part in text, part

    def test_not_yet_overdue_is_refused(self, flow, staff, unit_org):
        _, made = flow.assigned(unit_org, assigned_on=DAY)
        due = Assignment.objects.get(pk=made[0].pk).current_due_date
        with freeze_time(due):
            refused(lambda: services.assignment_reminder_letter_issue(actor=staff, assignment=made[0]),
                    "尚未超过答复期限")

    def test_a_replied_assignment_gets_no_reminder(self, flow, staff, unit_org, unit_user):
        _, assignment, _ = flow.replied(unit_org, unit_user, assigned_on=DAY)
        with freeze_time(assignment.current_due_date + datetime.timedelta(days=30)):
            refused(lambda: services.assignment_reminder_letter_issue(actor=staff, assignment=assignment),
                    "不能发提醒函")


class TestAdminPages:
    def test_staff_issue_from_the_assignment_page_and_see_the_letter_there(self, flow, staff, unit_org):
        _, made = flow.assigned(unit_org, assigned_on=timezone.localdate())
        client = Client()
        login_verified(client, staff)
        change = reverse("admin:proposals_assignment_change", args=[made[0].pk])
        page = client.get(change).content.decode()
        assert 'data-transition="letter_assign"' in page and 'data-transition="letter_supervise"' in page
        assert 'data-transition="letter_remind"' not in page  # not overdue
        response = client.post(reverse("admin:proposals_assignment_letter_assign", args=[made[0].pk]), {"note": ""})
        assert response.status_code == 302
        letter = OfficialLetter.objects.get()
        page = client.get(change).content.decode()
        assert letter.number in page and reverse("congress:letter_file", args=[letter.pk]) in page

    def test_a_leader_sees_the_page_but_may_not_issue(self, flow, leader, unit_org):
        _, made = flow.assigned(unit_org, assigned_on=DAY)
        client = Client()
        login_verified(client, leader)
        assert client.post(reverse("admin:proposals_assignment_letter_supervise", args=[made[0].pk]),
                           {"note": ""}).status_code == 403
        assert not OfficialLetter.objects.exists()

    def test_the_unit_reads_its_letter_in_its_workspace(self, flow, staff, unit_user, unit2_user, unit_org):
        _, made = flow.assigned(unit_org, assigned_on=DAY)
        letter = services.assignment_supervision_letter_issue(actor=staff, assignment=made[0])
        client = Client()
        login_verified(client, unit_user)
        inbox = client.get(reverse("unit:inbox")).content.decode()
        assert reverse("unit_letters:list") in inbox
        assert letter.number in client.get(reverse("unit_letters:list")).content.decode()
        assert client.get(reverse("congress:letter_file", args=[letter.pk])).status_code == 200
        other = Client()
        login_verified(other, unit2_user)
        assert client.get(reverse("congress:letter_file", args=[letter.pk])).status_code == 200
        assert other.get(reverse("congress:letter_file", args=[letter.pk])).status_code == 403
        assert letter.number not in other.get(reverse("unit_letters:list")).content.decode()


class TestBulkLetters:
    """The admin list's two actions: 交办函 for every batch (unit and day) among the selected, 提醒函 for every selected
    overdue assignment; all or nothing, with the skipped ones named."""

    LIST = reverse("admin:proposals_assignment_changelist")

    def act(self, user, action, assignments):
        client = Client()
        login_verified(client, user)
        response = client.post(self.LIST, {"action": action, "_selected_action": [a.pk for a in assignments]},
                               follow=True)
        assert response.status_code == 200
        return [str(m) for m in response.context["messages"]]

    def test_one_assignment_letter_per_unit_and_day_and_a_lettered_batch_is_skipped(self, flow, staff, unit_org, unit2):
        _, made1 = flow.assigned(unit_org, assigned_on=DAY)
        _, made2 = flow.assigned(unit_org, assigned_on=DAY)
        _, made3 = flow.assigned(unit2, assigned_on=DAY)
        _, made4 = flow.assigned(unit_org, assigned_on=DAY + datetime.timedelta(days=1))
        earlier = services.assignment_letter_issue(actor=staff, assignment=made4[0])
        notes = self.act(staff, "issue_assignment_letters", [made1[0], made2[0], made3[0], made4[0]])
        letters = OfficialLetter.objects.exclude(pk=earlier.pk).order_by("sequence")
        # three batches selected: unit_org on DAY (two suggestions, one letter), unit2 on DAY, unit_org the day after
        # (already lettered: skipped)
        assert sorted(letter.addressee_id for letter in letters) == sorted([unit_org.pk, unit2.pk])
        assert len(letters) == 2 and {letter.sequence for letter in letters} == {2, 3}
        assert any("已发交办函2份" in n for n in notes)
        assert any("未发" in n and "已发过交办函" in n for n in notes)
        by_unit = {letter.addressee_id: text_of(letter) for letter in letters}
        assert "2件建议" in by_unit[unit_org.pk] and "1件建议" in by_unit[unit2.pk]

    def test_reminders_only_for_the_overdue_and_the_others_named(self, flow, staff, unit_org, unit2):
        _, late = flow.assigned(unit_org, assigned_on=DAY)
        _, later = flow.assigned(unit2, assigned_on=DAY + datetime.timedelta(days=40))
        due = Assignment.objects.get(pk=late[0].pk).current_due_date
        with freeze_time(due + datetime.timedelta(days=3)):
            notes = self.act(staff, "issue_reminder_letters", [late[0], later[0]])
        letter = OfficialLetter.objects.get()
        assert letter.kind == LetterKind.REMINDER and letter.addressee == unit_org and "已逾期3天" in text_of(letter)
        assert any("已发提醒函1份" in n for n in notes) and any("尚未超过答复期限" in n for n in notes)

    def test_more_than_the_limit_is_refused_and_nothing_is_numbered(self, flow, staff, unit_org, unit2, settings):
        settings.CONGRESS_RULES = {**settings.CONGRESS_RULES, "LETTER_BATCH_MAX": 1}
        _, made1 = flow.assigned(unit_org, assigned_on=DAY)
        _, made2 = flow.assigned(unit2, assigned_on=DAY)
        notes = self.act(staff, "issue_assignment_letters", [made1[0], made2[0]])
        assert any("需要发函2份，一次最多1份" in n for n in notes)
        assert not OfficialLetter.objects.exists() and not LetterCounter.objects.filter(last_sequence__gt=0).exists()

    def test_a_failure_half_way_issues_none(self, flow, staff, unit_org, unit2, monkeypatch):
        _, made1 = flow.assigned(unit_org, assigned_on=DAY)
        _, made2 = flow.assigned(unit2, assigned_on=DAY)
        import congress.letters.services as letter_services

        real, calls = letter_services.render_pdf, []

        def render_then_fail(*args, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                raise CongressError("排版失败")
            return real(*args, **kwargs)

        monkeypatch.setattr(letter_services, "render_pdf", render_then_fail)
        notes = self.act(staff, "issue_assignment_letters", [made1[0], made2[0]])
        assert len(calls) == 2 and any("排版失败" in n for n in notes)
        assert not OfficialLetter.objects.exists() and not StateChange.objects.filter(action="letter_assign").exists()
        assert not LetterCounter.objects.filter(last_sequence__gt=0).exists()

    def test_only_committee_staff_have_the_actions(self, flow, leader, unit_org):
        _, made = flow.assigned(unit_org, assigned_on=DAY)
        client = Client()
        login_verified(client, leader)
        page = client.get(self.LIST).content.decode()
        assert "issue_assignment_letters" not in page
        client.post(self.LIST, {"action": "issue_assignment_letters", "_selected_action": [made[0].pk]})
        assert not OfficialLetter.objects.exists()
        with pytest.raises(CongressError, match="只有常委会机关工作人员"):
            services.assignment_letters_issue_many(actor=leader, assignments=Assignment.objects.filter(pk=made[0].pk),
                                                   kind=LetterKind.ASSIGNMENT)
