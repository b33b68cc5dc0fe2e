"""The one workflow kernel: every stateful model declares its states and transitions here, once, and every change of
state goes through `Workflow.apply`, which checks the current state and who acts, saves, and writes one history row
(`congress.StateChange`: who, when, from, to, reason) in the caller's transaction.

Why our own small kernel and not django-fsm-2 (+ django-fsm-log): there the transition is a model method that anyone
holding the object may call (a view, a signal, the shell), its conditions see the instance but not the person acting,
and the log is written by a signal. Here the declaration is data that services, views, templates, the admin and the
tests all read: `available(user, obj, surface)` draws each page's buttons, `check` refuses with the Chinese message,
`apply` is called only by the app's service, inside its `transaction.atomic()` and after its `select_for_update()`.

A declaration, in an app's `workflows.py`:

    SUGGESTION = Workflow(
        "suggestion", label="代表建议", states=Suggestion.Status,
        transitions=[
            Transition("register", "登记编号", source=[S.SUBMITTED], target=S.REGISTERED,
                       who=predicates.is_committee_staff, surfaces={"admin"}),
            Transition("replied", "全部答复", source=[S.ASSIGNED, S.HANDLING], target=S.REPLIED, automatic=True),
            ...
        ])

- `who(user, obj)` is a predicate from the app's `predicates.py` (the one place that says who may).
- `when` holds guards that depend on the object but not on the person (a deadline window): each returns the Chinese
  refusal, or None when the transition may be taken.
- `target=None` records a step that keeps the state (延期, 沟通联系, 评价): it still writes a history row.
- `automatic=True` marks a consequence another transition's service takes (every unit replied → the suggestion is
  replied); the state is still checked, nobody is offered it as a button.
- `surfaces` names the pages that offer it: "admin", "portal" (deputies), "unit" (handling units), "public".
- `thread(obj)` names the timeline a row belongs to (an assignment's steps show on its suggestion's timeline).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

ANY = "*"
SURFACES = frozenset({"admin", "portal", "unit", "public"})

Predicate = Callable[[Any, Any], bool]
Guard = Callable[[Any], "str | None"]

WORKFLOWS: dict[str, Workflow] = {}


def anyone(user, obj) -> bool:
    return True


def nobody(user, obj) -> bool:
    return False


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    source: Iterable[str] = (ANY,)
    target: str | None = None
    who: Predicate = nobody
    when: tuple[Guard, ...] = ()
    surfaces: frozenset[str] = field(default_factory=frozenset)
    automatic: bool = False
    # the Chinese message when `who` says no: a text, or a function (user, obj) → text; else the predicate's own
    refusal: str | Callable[[Any, Any], str] = ""
    verb: str = ""  # how a refusal names the act ("评价"), when the timeline's label ("群众评价") reads badly there

    def __post_init__(self):
        object.__setattr__(self, "source", frozenset(self.source))
        object.__setattr__(self, "surfaces", frozenset(self.surfaces))
        object.__setattr__(self, "when", tuple(self.when))
        unknown = self.surfaces - SURFACES
        if unknown:
            raise ValueError(f"{self.name}: unknown surfaces {sorted(unknown)}")
        if self.automatic and self.surfaces:
            raise ValueError(f"{self.name}: an automatic transition is offered on no page")

    def starts_from(self, state: str) -> bool:
        return ANY in self.source or state in self.source


class Workflow:
    def __init__(self, name: str, *, label: str, model, states, transitions: Iterable[Transition],
                 field: str = "status", thread: Callable[[Any], str] | None = None, tones: dict | None = None):
        self.name, self.label, self.model, self.states, self.field = name, label, model, states, field
        # the colour of a state's badge: "green" done well, "red" refused or needs attention, "amber" under way, "" plain
        self.tones = {str(k): v for k, v in (tones or {}).items()}
        self.transitions: dict[str, Transition] = {}
        values = set(states.values)
        for t in transitions:
            if t.name in self.transitions:
                raise ValueError(f"{name}: transition {t.name} declared twice")
            bad = (set(t.source) - {ANY} - values) | ({t.target} - values - {None})
            if bad:
                raise ValueError(f"{name}.{t.name}: unknown states {sorted(map(str, bad))}")
            self.transitions[t.name] = t
        self._thread = thread
        WORKFLOWS[name] = self

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __iter__(self):
        return iter(self.transitions.values())

    def __repr__(self):
        return f"<Workflow {self.name}>"

    # ------------------------------------------------------------------ reading

    def state_of(self, obj) -> str:
        return getattr(obj, self.field)

    def state_label(self, value: str) -> str:
        if not value:
            return ""
        try:
            return str(self.states(value).label)
        except ValueError:
            return value

    def tone(self, value: str) -> str:
        return self.tones.get(str(value), "amber")

    def thread(self, obj) -> str:
        return self._thread(obj) if self._thread else f"{self.name}:{obj.pk}"

    def refusal(self, user, obj, name: str) -> str | None:
        """Why `user` may not take transition `name` on `obj` now (a Chinese sentence), or None when they may."""
        t = self.transitions[name]
        state = self.state_of(obj)
        if not t.starts_from(state):
            needed = "、".join(f"“{self.state_label(s)}”" for s in self.states.values if s in t.source)
            verb = t.verb or t.label
            return f"{self.label}当前为“{self.state_label(state)}”，不能{verb}" + (f"（须为{needed}）" if needed else "")
        if not t.automatic and not t.who(user, obj):
            if callable(t.refusal):
                return t.refusal(user, obj)
            return t.refusal or getattr(t.who, "refusal", "").format(action=t.verb or t.label) or f"您没有{t.label}的权限"
        for guard in t.when:
            message = guard(obj)
            if message:
                return message
        return None

    def can(self, user, obj, name: str) -> bool:
        return self.refusal(user, obj, name) is None

    def permits(self, user, obj, name: str) -> bool:
        """Whether `user` is somebody who may take `name` on `obj` at all (whatever the state): a page for a transition
        answers 403 to everybody else, and shows the refusal to them while the state does not allow it."""
        t = self.transitions[name]
        return not t.automatic and t.who(user, obj)

    def available(self, user, obj, surface: str | None = None) -> list[Transition]:
        """The transitions `user` may take on `obj` now, in declaration order; with `surface`, only those that page
        offers. This is what every page draws its buttons from."""
        return [t for t in self.transitions.values()
                if not t.automatic and (surface is None or surface in t.surfaces) and self.refusal(user, obj, t.name) is None]

    def states_offering(self, surface: str) -> frozenset[str]:
        """The states in which `surface` offers somebody a transition (the livelihood round's portal: collecting, for
        proposals, and voting): what a page asks before it looks for anybody's objects in them (Workflow.kept)."""
        states = set()
        for t in self.transitions.values():
            if surface in t.surfaces:
                states |= set(self.states.values) if ANY in t.source else set(t.source)
        return frozenset(states)

    def offered(self, user, obj, surface: str) -> dict[str, Transition]:
        """`available` keyed by name, for templates: {% if offers.submit %}."""
        return {t.name: t for t in self.available(user, obj, surface)}

    def history(self, obj):
        """This object's own history rows, oldest first (its timeline is `thread`, which may hold more)."""
        from congress.models import StateChange

        return StateChange.objects.filter(workflow=self.name, object_id=obj.pk).select_related("actor").order_by("id")

    # ------------------------------------------------------------------ writing (services only)

    def check(self, user, obj, name: str) -> Transition:
        from congress.services import CongressError

        message = self.refusal(user, obj, name)
        if message:
            raise CongressError(message)
        # a service checks before it changes the object's fields (a guard may read them), then applies: remember it
        obj._workflow_checked = (self.name, name, self.state_of(obj))
        return self.transitions[name]

    def apply(self, obj, name: str, *, actor, reason: str = "", fields: Iterable[str] = (), at=None):
        """Take transition `name`: check it, set the new state, save the state with `fields` (update_fields), and
        write the history row. Call it from the app's service, inside transaction.atomic(), on a locked row."""
        if getattr(obj, "_workflow_checked", None) == (self.name, name, self.state_of(obj)):
            t = self.transitions[name]  # checked by this service a moment ago, on this locked row, in this state
        else:
            t = self.check(actor, obj, name)
        obj._workflow_checked = None
        return self._write(obj, t, actor=actor, reason=reason, fields=fields, at=at)

    def apply_unchecked(self, obj, name: str, *, actor, reason: str = "", fields: Iterable[str] = (), at=None):
        """Take transition `name` without asking who may (its state is still checked): for the demo seeder, which
        enters on staff's behalf what a party handed in on paper. Services never call it."""
        t = self.transitions[name]
        if not t.starts_from(self.state_of(obj)):
            raise ValueError(f"{self.name}.{name} from {self.state_of(obj)!r}")
        return self._write(obj, t, actor=actor, reason=reason, fields=fields, at=at)

    def record_created(self, obj, *, actor, name: str = "create", reason: str = "", at=None):
        """The history row of an object made in its first state (nothing to check: the service just created it)."""
        t = self.transitions[name]
        return self._history(obj, t, actor=actor, old="", reason=reason, at=at)

    def _write(self, obj, t: Transition, *, actor, reason: str, fields: Iterable[str], at):
        old = self.state_of(obj)
        fields = list(dict.fromkeys(fields))
        if t.target is not None and t.target != old:
            setattr(obj, self.field, t.target)
            fields = [self.field, *[f for f in fields if f != self.field]]
        if fields:
            if actor is not None and getattr(actor, "is_authenticated", False):
                obj._history_user = actor  # django-simple-history's row names the person
            obj.save(update_fields=fields)
        return self._history(obj, t, actor=actor, old=old, reason=reason, at=at)

    # -- facts about the workflow's objects as a whole -------------------------------------------------------------

    def kept(self, fact: str, compute: Callable[[], Any]):
        """A fact about this workflow's objects as a whole that the pages of many users ask (is any round open to
        deputies?), kept in the cache until the workflow's next creation or transition commits (every one goes
        through here: _history), and at most WORKFLOW_FACTS_SECONDS (a change outside the kernel, an administrator
        deleting a row). The portal home asks such facts before the per-deputy query of a panel that is empty most of
        the year. Keys carry the database's name; WORKFLOW_FACTS_SECONDS = 0 computes every time."""
        from django.conf import settings
        from django.core.cache import cache

        seconds = settings.WORKFLOW_FACTS_SECONDS
        if seconds <= 0:
            return compute()
        generation = cache.get(self._generation_key(), 0)
        key = f"{self._generation_key()}:{generation}:{fact}"
        hit = cache.get(key)
        if hit is None:
            hit = (compute(),)
            cache.set(key, hit, seconds)
        return hit[0]

    def _generation_key(self) -> str:
        from congress.lib.statcache import database_key

        return database_key("workflow", self.name)

    def _changed(self) -> None:
        """After the caller's transaction commits, the kept facts are new (one cache write a history row: a batch of
        a hundred changes writes a hundred times, each a new generation)."""
        from django.db import transaction

        transaction.on_commit(self._changed_now)

    def _changed_now(self) -> None:
        import time

        from django.core.cache import cache

        cache.set(self._generation_key(), time.time_ns(), None)

    def _history(self, obj, t: Transition, *, actor, old: str, reason: str, at):
        from django.utils import timezone

        from congress.models import StateChange

        self._changed()

        actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
        return StateChange.objects.create(
            workflow=self.name, object_id=obj.pk, thread=self.thread(obj), action=t.name, from_state=old,
            to_state=self.state_of(obj), actor=actor, reason=(reason or "").strip(), at=at or timezone.now())


def workflow_for(name: str) -> Workflow | None:
    return WORKFLOWS.get(name)


def workflow_of(obj) -> Workflow | None:
    """The workflow declared for this object's model (the first, when a model has several)."""
    for flow in WORKFLOWS.values():
        if isinstance(obj, flow.model):
            return flow
    return None


def timeline_rows(changes, subject: Callable[[Any], str] | None = None) -> list[dict]:
    """History rows as a timeline shows them: Chinese labels of the step and of the states, the person, the time
    (templates render it in local time), the reason, and an optional subject (the unit of an assignment's step)."""
    rows = []
    for change in changes:
        rows.append({"change": change, "at": change.at, "label": change.action_label, "subject": subject(change) if subject else "",
                     "from_label": change.from_label, "to_label": change.to_label, "reason": change.reason,
                     "actor": (change.actor.full_name or change.actor.username) if change.actor_id else ""})
    return rows


class WorkflowModel:
    """A model whose states a workflow declares: `obj.state_changes` is its own history, oldest first."""

    @property
    def state_changes(self):
        return workflow_of(self).history(self)
