"""The workflow kernel itself (congress.lib.workflow), on throwaway declarations: what a declaration refuses, how a
refusal reads, what `available` offers, and what `apply` writes and saves. And the one definition of an assignment's
current deadline and of "open", in Python and in SQL, which must agree."""
import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.db import models
from django.utils import timezone

from congress.lib import workflow as kernel
from congress.lib.workflow import ANY, Transition, Workflow
from congress.models import CongressSession, Organization, StateChange
from congress.services import CongressError
from proposals import services
from proposals.models import Assignment, Suggestion
from proposals.tests.conftest import make_deputy

S = Suggestion.Status


class Lamp(models.TextChoices):
    RED = "red", "红灯"
    AMBER = "amber", "黄灯"
    GREEN = "green", "绿灯"


class Thing(SimpleNamespace):
    """Stands for a model instance: a state in `status` and a pk."""


def is_keeper(user, obj) -> bool:
    return getattr(user, "keeper", False)


is_keeper.refusal = "只有值班员可以{action}"


@pytest.fixture(autouse=True)
def _forget_throwaway_workflows():
    """Every Workflow registers itself by name; the ones made here must not outlive their test."""
    before = dict(kernel.WORKFLOWS)
    yield
    kernel.WORKFLOWS.clear()
    kernel.WORKFLOWS.update(before)


def lamp_flow(*transitions, name="kernel_lamp") -> Workflow:
    return Workflow(name, label="信号灯", model=Thing, states=Lamp, transitions=transitions)


KEEPER, PASSER_BY = SimpleNamespace(keeper=True), SimpleNamespace(keeper=False)


# ---------------------------------------------------------------- what a declaration refuses

class TestDeclaration:
    def test_an_unknown_source_state_is_refused(self):
        with pytest.raises(ValueError, match="unknown states.*blue"):
            lamp_flow(Transition("go", "通行", source=["blue"], target=Lamp.GREEN))

    def test_an_unknown_target_state_is_refused(self):
        with pytest.raises(ValueError, match="unknown states.*purple"):
            lamp_flow(Transition("go", "通行", source=[Lamp.RED], target="purple"))

    def test_a_transition_declared_twice_is_refused(self):
        with pytest.raises(ValueError, match="declared twice"):
            lamp_flow(Transition("go", "通行", source=[Lamp.RED], target=Lamp.GREEN),
                      Transition("go", "再通行", source=[Lamp.AMBER], target=Lamp.GREEN))

    def test_an_automatic_transition_offered_on_a_page_is_refused(self):
        with pytest.raises(ValueError, match="automatic"):
            Transition("turn", "自动变灯", source=[Lamp.RED], target=Lamp.GREEN, automatic=True, surfaces={"admin"})

    def test_an_unknown_surface_is_refused(self):
        with pytest.raises(ValueError, match="unknown surfaces"):
            Transition("go", "通行", surfaces={"backoffice"})

    def test_a_refused_declaration_is_not_registered(self):
        with pytest.raises(ValueError):
            lamp_flow(Transition("go", "通行", source=["blue"]), name="kernel_broken")
        assert kernel.workflow_for("kernel_broken") is None

    def test_any_source_and_a_target_of_none_are_accepted(self):
        flow = lamp_flow(Transition("note", "记录", source=(ANY,), who=kernel.anyone))
        assert flow["note"].starts_from(Lamp.RED) and flow["note"].target is None
        assert kernel.workflow_for("kernel_lamp") is flow


# ---------------------------------------------------------------- refusal, can, permits, available

class TestRefusal:
    def test_a_wrong_state_names_the_current_state_and_the_states_needed_in_declaration_order(self):
        flow = lamp_flow(Transition("stop", "停车", source=[Lamp.GREEN, Lamp.RED], target=Lamp.AMBER, who=kernel.anyone))
        assert flow.refusal(KEEPER, Thing(status=Lamp.AMBER, pk=1), "stop") == \
            "信号灯当前为“黄灯”，不能停车（须为“红灯”、“绿灯”）"

    def test_a_wrong_state_is_refused_before_the_person_is_asked(self):
        flow = lamp_flow(Transition("go", "通行", source=[Lamp.RED], target=Lamp.GREEN, who=is_keeper, verb="放行"))
        assert flow.refusal(PASSER_BY, Thing(status=Lamp.GREEN, pk=1), "go") == "信号灯当前为“绿灯”，不能放行（须为“红灯”）"

    def test_the_transitions_own_refusal_text(self):
        flow = lamp_flow(Transition("go", "通行", source=[Lamp.RED], who=is_keeper, refusal="只有值班员可以放行"))
        assert flow.refusal(PASSER_BY, Thing(status=Lamp.RED, pk=1), "go") == "只有值班员可以放行"

    def test_a_refusal_function_gets_the_person_and_the_object(self):
        flow = lamp_flow(Transition("go", "通行", source=[Lamp.RED], who=is_keeper,
                                    refusal=lambda user, obj: f"第{obj.pk}号灯只有值班员可以放行"))
        assert flow.refusal(PASSER_BY, Thing(status=Lamp.RED, pk=7), "go") == "第7号灯只有值班员可以放行"

    def test_the_predicates_refusal_names_the_act_by_its_verb_or_its_label(self):
        flow = lamp_flow(Transition("go", "通行", source=[Lamp.RED], who=is_keeper),
                         Transition("stop", "停车", source=[Lamp.RED], who=is_keeper, verb="拦停"))
        thing = Thing(status=Lamp.RED, pk=1)
        assert flow.refusal(PASSER_BY, thing, "go") == "只有值班员可以通行"
        assert flow.refusal(PASSER_BY, thing, "stop") == "只有值班员可以拦停"

    def test_without_any_refusal_text_the_default_names_the_label(self):
        flow = lamp_flow(Transition("go", "通行", source=[Lamp.RED], who=kernel.nobody))
        assert flow.refusal(KEEPER, Thing(status=Lamp.RED, pk=1), "go") == "您没有通行的权限"

    def test_a_guard_speaks_after_state_and_person_and_the_first_that_objects_wins(self):
        flow = lamp_flow(Transition("go", "通行", source=[Lamp.RED], who=is_keeper, when=[
            lambda t: None, lambda t: "路口有行人" if t.walkers else None, lambda t: "总是不行"]))
        assert flow.refusal(KEEPER, Thing(status=Lamp.RED, pk=1, walkers=3), "go") == "路口有行人"
        assert flow.refusal(KEEPER, Thing(status=Lamp.RED, pk=1, walkers=0), "go") == "总是不行"
        assert flow.refusal(PASSER_BY, Thing(status=Lamp.RED, pk=1, walkers=3), "go") == "只有值班员可以通行"

    def test_an_automatic_transition_checks_the_state_but_not_the_person(self):
        flow = lamp_flow(Transition("turn", "自动变灯", source=[Lamp.RED], target=Lamp.GREEN, automatic=True))
        assert flow.can(PASSER_BY, Thing(status=Lamp.RED, pk=1), "turn")
        assert not flow.can(PASSER_BY, Thing(status=Lamp.GREEN, pk=1), "turn")
        assert not flow.permits(KEEPER, Thing(status=Lamp.RED, pk=1), "turn")

    def test_permits_asks_only_who_whatever_the_state(self):
        flow = lamp_flow(Transition("go", "通行", source=[Lamp.RED], who=is_keeper))
        assert flow.permits(KEEPER, Thing(status=Lamp.GREEN, pk=1), "go")
        assert not flow.permits(PASSER_BY, Thing(status=Lamp.RED, pk=1), "go")


class TestAvailable:
    @pytest.fixture
    def lights(self):
        return lamp_flow(
            Transition("go", "通行", source=[Lamp.RED], target=Lamp.GREEN, who=is_keeper, surfaces={"admin"}),
            Transition("turn", "自动变灯", source=[Lamp.RED], target=Lamp.AMBER, automatic=True),
            Transition("report", "报修", source=(ANY,), who=kernel.anyone, surfaces={"public", "admin"}),
            Transition("fix", "维修", source=[Lamp.RED], who=is_keeper, when=[lambda t: "无需维修"]),
            Transition("stop", "停车", source=[Lamp.GREEN], target=Lamp.RED, who=is_keeper, surfaces={"admin"}),
        )

    def test_it_lists_what_this_person_may_take_now_in_declaration_order_without_automatic_ones(self, lights):
        red = Thing(status=Lamp.RED, pk=1)
        assert [t.name for t in lights.available(KEEPER, red)] == ["go", "report"]
        assert [t.name for t in lights.available(PASSER_BY, red)] == ["report"]
        assert [t.name for t in lights.available(KEEPER, Thing(status=Lamp.GREEN, pk=1))] == ["report", "stop"]

    def test_a_surface_keeps_only_what_that_page_offers(self, lights):
        red = Thing(status=Lamp.RED, pk=1)
        assert [t.name for t in lights.available(KEEPER, red, "admin")] == ["go", "report"]
        assert [t.name for t in lights.available(KEEPER, red, "public")] == ["report"]
        assert lights.available(KEEPER, red, "portal") == []
        assert list(lights.offered(KEEPER, red, "admin")) == ["go", "report"]
        assert lights.offered(KEEPER, red, "admin")["go"] is lights["go"]


# ---------------------------------------------------------------- apply, check, record_created: on a real model

def changes_of(obj, workflow):
    return list(StateChange.objects.filter(workflow=workflow, object_id=obj.pk).order_by("id"))


def long_title(suggestion) -> str | None:
    return "标题太短" if len(suggestion.title) < 4 else None


@pytest.fixture
def draft(deputy_user, town_a, term):
    """Makes a deputy's draft suggestion through the service."""
    make_deputy("周代表", town_a, 1, user=deputy_user)
    session = CongressSession.objects.create(term=term, number=2, start_date=datetime.date(2026, 1, 5),
                                             end_date=datetime.date(2026, 1, 8))

    def make() -> Suggestion:
        return services.suggestion_create(actor=deputy_user, title="关于加快老旧小区加装电梯的建议",
                                          content="老旧小区居民上下楼困难，建议加快加装电梯。", session=session)
    return make


@pytest.fixture
def paper():
    """A throwaway workflow over the real Suggestion table (its own name, so its rows are its own)."""
    return Workflow("kernel_paper", label="测试建议", model=Suggestion, states=S,
                    thread=lambda s: f"paper:{s.pk}", transitions=[
                        Transition("create", "起草", source=(), target=S.DRAFT, automatic=True),
                        Transition("send", "送出", source=[S.DRAFT], target=S.SUBMITTED, who=kernel.anyone,
                                   when=[long_title]),
                        Transition("note", "批注", source=(ANY,), who=kernel.anyone),
                    ])


@pytest.mark.django_db
class TestApply:
    def test_it_writes_one_row_and_saves_only_the_state_and_the_fields_given(self, draft, paper, staff):
        s = draft()
        before = StateChange.objects.count()
        s.title, s.content = "没有保存的标题", "保存的内容"
        at = timezone.now() - datetime.timedelta(hours=2)
        change = paper.apply(s, "send", actor=staff, reason="  依法送出 ", fields=["content", "status", "content"], at=at)
        assert StateChange.objects.count() == before + 1
        change = StateChange.objects.get(pk=change.pk)
        assert (change.workflow, change.object_id, change.thread, change.action) == ("kernel_paper", s.pk, f"paper:{s.pk}", "send")
        assert (change.from_state, change.to_state, change.actor, change.reason, change.at) == (
            S.DRAFT, S.SUBMITTED, staff, "依法送出", at)
        stored = Suggestion.objects.get(pk=s.pk)
        assert (stored.status, stored.content) == (S.SUBMITTED, "保存的内容")
        assert stored.title != "没有保存的标题"

    def test_a_step_that_keeps_the_state_writes_its_row_and_saves_nothing_unasked(self, draft, paper, staff):
        s = draft()
        s.title = "没有保存的标题"
        change = paper.apply(s, "note", actor=staff, reason="请补充数据")
        assert (change.from_state, change.to_state) == (S.DRAFT, S.DRAFT)
        assert Suggestion.objects.get(pk=s.pk).title != "没有保存的标题"

    def test_a_voters_step_has_no_actor(self, draft, paper):
        from django.contrib.auth.models import AnonymousUser

        s = draft()
        assert paper.apply(s, "note", actor=AnonymousUser()).actor is None
        assert paper.apply(s, "note", actor=None).actor is None

    def test_apply_checks_by_itself_and_refuses_a_wrong_state_without_writing(self, draft, paper, staff):
        s = draft()
        Suggestion.objects.filter(pk=s.pk).update(status=S.SUBMITTED)
        s = Suggestion.objects.get(pk=s.pk)
        with pytest.raises(CongressError, match="当前为“已提交”，不能送出"):
            paper.apply(s, "send", actor=staff)
        assert changes_of(s, "kernel_paper") == [] and Suggestion.objects.get(pk=s.pk).status == S.SUBMITTED

    def test_after_check_the_fields_may_change_without_the_guards_running_again(self, draft, paper, staff):
        s = draft()
        paper.check(staff, s, "send")
        s.title = "短"  # the guard would refuse now; the service checked before it changed the fields
        paper.apply(s, "send", actor=staff, fields=["title"])
        assert Suggestion.objects.get(pk=s.pk).status == S.SUBMITTED
        assert [c.action for c in changes_of(s, "kernel_paper")] == ["send"]

    def test_without_check_the_guards_do_run(self, draft, paper, staff):
        s = draft()
        s.title = "短"
        with pytest.raises(CongressError, match="标题太短"):
            paper.apply(s, "send", actor=staff)

    def test_a_check_does_not_cover_a_state_that_moved_since(self, draft, paper, staff):
        s = draft()
        paper.check(staff, s, "send")
        s.status = S.SUBMITTED  # somebody else's step in between
        with pytest.raises(CongressError, match="当前为“已提交”"):
            paper.apply(s, "send", actor=staff)
        assert changes_of(s, "kernel_paper") == []

    def test_a_check_covers_only_the_transition_it_checked_and_only_once(self, draft, paper, staff):
        s = draft()
        paper.check(staff, s, "note")
        s.title = "短"
        with pytest.raises(CongressError, match="标题太短"):
            paper.apply(s, "send", actor=staff)  # "note" was checked, not "send": the guard runs
        s.title = "足够长的标题"
        paper.check(staff, s, "send")
        paper.apply(s, "send", actor=staff)
        with pytest.raises(CongressError, match="不能送出"):
            paper.apply(s, "send", actor=staff)  # the check was used up; the state is now 已提交

    def test_a_refusal_from_check_is_a_congress_error_in_chinese(self, draft, paper, staff):
        s = draft()
        s.title = "短"
        with pytest.raises(CongressError) as refused:
            paper.check(staff, s, "send")
        assert refused.value.messages == ["标题太短"]

    def test_record_created_writes_a_row_from_no_state(self, draft, paper, staff):
        s = draft()
        change = paper.record_created(s, actor=staff, reason="新起草")
        assert (change.action, change.from_state, change.to_state, change.actor, change.reason, change.thread) == (
            "create", "", S.DRAFT, staff, "新起草", f"paper:{s.pk}")
        assert changes_of(s, "kernel_paper") == [change]

    def test_history_is_the_objects_own_rows_oldest_first(self, draft, paper, staff):
        s, other = draft(), draft()
        first = paper.record_created(s, actor=staff)
        paper.record_created(other, actor=staff)
        second = paper.apply(s, "note", actor=staff)
        assert list(paper.history(s)) == [first, second]


# ---------------------------------------------------------------- one definition of the current deadline and of "open"

@pytest.mark.django_db
class TestAssignmentDeadlines:
    @pytest.fixture
    def assignments(self, draft):
        """One assignment in every status, for each combination of an extended and a second deadline."""
        units = [Organization.objects.create(name=f"区第{i}局", kind=Organization.Kind.DEPARTMENT, is_handling_unit=True)
                 for i in range(len(Assignment.Status))]
        made = []
        first = datetime.date(2026, 3, 1)
        for extended, second in itertools.product([None, datetime.date(2026, 7, 1)], [None, datetime.date(2026, 9, 1)]):
            s = draft()
            for unit, status in zip(units, Assignment.Status, strict=True):
                made.append(Assignment.objects.create(
                    suggestion=s, unit=unit, role=Assignment.Role.ASSISTING, status=status, assigned_on=first,
                    due_date=datetime.date(2026, 6, 1), send_back_until=first, extended_due_date=extended,
                    second_due_date=second))
        return made

    def test_the_python_deadline_is_the_sql_deadline_in_every_status(self, assignments):
        in_sql = dict(Assignment.objects.with_current_due().values_list("pk", "current_due"))
        assert len(in_sql) == len(assignments) == 4 * len(Assignment.Status)
        for a in assignments:
            assert in_sql[a.pk] == a.current_due_date, (a.status, a.extended_due_date, a.second_due_date)
        # the rule itself, so that both cannot be wrong the same way
        rehandled = next(a for a in assignments if a.status == Assignment.Status.REHANDLING and a.second_due_date
                         and a.extended_due_date)
        assert rehandled.current_due_date == datetime.date(2026, 9, 1)
        extended = next(a for a in assignments if a.status == Assignment.Status.HANDLING and a.second_due_date
                        and a.extended_due_date)
        assert extended.current_due_date == datetime.date(2026, 7, 1)

    def test_open_in_sql_is_is_open_in_python(self, assignments):
        assert set(Assignment.objects.open()) == {a for a in Assignment.objects.all() if a.is_open}
        assert {a.status for a in Assignment.objects.open()} == set(Assignment.OPEN)

    def test_overdue_is_open_with_the_current_deadline_passed(self, assignments):
        today = datetime.date(2026, 8, 1)
        assert set(Assignment.objects.overdue(today)) == {
            a for a in Assignment.objects.all() if a.is_open and a.current_due_date < today}


def test_apply_unchecked_skips_who_may_but_not_the_state():
    """The demo seeder enters paper reports on a party's behalf: the state is still checked and the history written."""
    import pytest as _pytest

    from congress.lib.workflow import Transition, Workflow

    class Thing:
        pk = 7
        status = "a"

        def save(self, update_fields=None):
            self.saved = update_fields

    written = []
    flow = Workflow.__new__(Workflow)
    flow.name, flow.field = "thing", "status"
    flow.transitions = {"go": Transition("go", "前进", source=["a"], target="b", who=lambda user, obj: False)}
    flow._history = lambda obj, t, **kw: written.append((t.name, kw["old"]))
    thing = Thing()
    flow.apply_unchecked(thing, "go", actor=None)
    assert thing.status == "b" and written == [("go", "a")]
    with _pytest.raises(ValueError):
        flow.apply_unchecked(thing, "go", actor=None)  # "b" is not a state it starts from


class TestKeptFacts:
    """Workflow.kept: a fact about the workflow's objects as a whole, kept until the workflow's next creation or
    transition commits."""

    @pytest.fixture
    def lamps(self, settings):
        settings.WORKFLOW_FACTS_SECONDS = 300
        flow = lamp_flow(Transition("create", "安装", source=(), target=Lamp.RED, automatic=True),
                         Transition("go", "放行", source=[Lamp.RED], target=Lamp.GREEN, automatic=True),
                         name="kernel_kept_lamp")
        flow._changed_now()  # a fresh generation: nothing another test kept
        return flow

    def test_a_fact_is_asked_once_until_a_change_commits(self, lamps, django_capture_on_commit_callbacks, db):
        asked = []

        def fact():
            asked.append(1)
            return len(asked)

        assert lamps.kept("count", fact) == 1 and lamps.kept("count", fact) == 1 and len(asked) == 1
        with django_capture_on_commit_callbacks(execute=False) as at_commit:
            lamps._changed()
            lamps._changed()
        assert lamps.kept("count", fact) == 1  # not committed yet
        for callback in at_commit:
            callback()
        assert lamps.kept("count", fact) == 2 and lamps.kept("count", fact) == 2

    def test_every_history_row_is_news(self, lamps, django_capture_on_commit_callbacks, db):
        seen = []

        def fact():
            seen.append(1)
            return len(seen)

        thing = Thing(pk=7, status=Lamp.RED, save=lambda update_fields: None)
        assert lamps.kept("seen", fact) == 1
        with django_capture_on_commit_callbacks(execute=True) as at_commit:
            lamps.record_created(thing, actor=None)  # (StateChange rows need no model of the object)
        assert len(at_commit) == 1 and lamps.kept("seen", fact) == 2
        with django_capture_on_commit_callbacks(execute=True):
            lamps.apply_unchecked(thing, "go", actor=None)
        assert thing.status == Lamp.GREEN and lamps.kept("seen", fact) == 3

    def test_without_keeping_it_is_asked_every_time(self, lamps, settings):
        settings.WORKFLOW_FACTS_SECONDS = 0
        asked = []
        lamps.kept("count", lambda: asked.append(1))
        lamps.kept("count", lambda: asked.append(1))
        assert len(asked) == 2


def test_states_offering_are_the_sources_of_a_surfaces_transitions():
    flow = lamp_flow(Transition("go", "放行", source=[Lamp.RED], target=Lamp.GREEN, who=is_keeper, surfaces={"portal"}),
                     Transition("warn", "提醒", source=[Lamp.GREEN], target=Lamp.AMBER, who=is_keeper, surfaces={"admin"}),
                     Transition("stop", "停止", source=[Lamp.AMBER], target=Lamp.RED, automatic=True),
                     Transition("note", "记录", source=[ANY], who=is_keeper, surfaces={"unit"}))
    assert flow.states_offering("portal") == {Lamp.RED}
    assert flow.states_offering("admin") == {Lamp.GREEN}
    assert flow.states_offering("unit") == {Lamp.RED, Lamp.AMBER, Lamp.GREEN}
    assert flow.states_offering("public") == frozenset()
