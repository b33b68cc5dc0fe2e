"""The workflow-offer tests' shared part (issue #8): read the transitions a page offers from its `data-transition`
attributes, and compare them with what the declaration (congress.lib.workflow) says this person may take now.

Each app's tests/test_workflow_offers.py lists cases — a workflow, a state (with a variant where a guard matters), a
builder that puts an object there — and the page each surface shows it on. For every case, every named actor loads
every such page: the names on the page must equal `available(user, obj, surface)`, for the actor who works there and
for those who may not (an admin page answers a deputy with a redirect, so it offers nothing, and the declaration must
offer them nothing either). A second test per workflow checks that the cases reach every transition a page offers."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from django.contrib.auth.models import AnonymousUser

from conftest import client_for


class _Offers(HTMLParser):
    """Collects the elements that carry data-transition; a button inside a form leads where its form posts."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.form_action = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form_action = attrs.get("action")
        if "data-transition" in attrs:
            target = attrs.get("formaction") or attrs.get("action") or attrs.get("href") or self.form_action
            self.elements.append((tag, {**attrs, "target": target}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form_action = None


def offered_elements(html: str) -> list[tuple[str, dict]]:
    """(tag, attributes) of every element that carries data-transition."""
    parser = _Offers()
    parser.feed(html)
    parser.close()
    return parser.elements


def offered_on(response) -> tuple[set[str], dict[str, set[str]]]:
    """Every transition name the page offers (one admin link may carry several, separated by spaces), and for each
    name where its elements lead (their action or href, a button its form's action). A page that does not open for
    this person (a redirect to the login, 403, 404) offers nothing."""
    shown: set[str] = set()
    targets: dict[str, set[str]] = {}
    if response.status_code != 200:
        return shown, targets
    for _tag, attrs in offered_elements(response.content.decode()):
        for name in (attrs["data-transition"] or "").split():
            shown.add(name)
            target = attrs["target"]
            if target:
                targets.setdefault(name, set()).add(target)
    return shown, targets


def names(transitions) -> set[str]:
    return {t.name for t in transitions}


def declared_on(flow, surface: str) -> set[str]:
    """The transitions the declaration offers on that surface."""
    return {t.name for t in flow if surface in t.surfaces}


@dataclass(frozen=True)
class Case:
    """An object of `flow` in `state`: `build(world)` makes it through the services (or the ORM), fresh from the
    database. `variant` tells apart two cases of one state where a guard or a role decides (e.g. "priority")."""

    flow: object
    state: str
    build: Callable
    variant: str = ""

    @property
    def id(self) -> str:
        return f"{self.flow.name}-{self.state}" + (f"-{self.variant}" if self.variant else "")


def as_user(user):
    return user if user is not None else AnonymousUser()


def page_mismatches(case: Case, obj, actors: dict, pages: dict) -> list[str]:
    """Load, as each actor, each page that shows `obj` (`pages`: surface → a function, or a list of them, (obj, user)
    → (url, expected names) or (url, expected names, {name: where its links lead or its forms post})), and describe
    every page whose offers differ from the declaration's."""
    problems = []
    for actor, user in actors.items():
        client = client_for(user)
        for surface, page in [(s, p) for s, ps in pages.items() for p in (ps if isinstance(ps, list) else [ps])]:
            url, expected, *rest = page(obj, as_user(user))
            response = client.get(url)
            assert response.status_code < 500, f"{case.id} as {actor}: {url} answered {response.status_code}"
            shown, targets = offered_on(response)
            where = (f"workflow={case.flow.name} state={case.state}{' (' + case.variant + ')' if case.variant else ''} "
                     f"actor={actor} surface={surface}: {url} (HTTP {response.status_code})")
            if shown != expected:
                problems.append(f"{where} offers {sorted(shown)}, the declaration {sorted(expected)}"
                                f" — missing {sorted(expected - shown)}, extra {sorted(shown - expected)}")
            for name, wanted in (rest[0] if rest else {}).items():
                if targets.get(name, set()) != wanted:
                    problems.append(f"{where} offers {name} for {sorted(targets.get(name, set()))}, the declaration "
                                    f"for {sorted(wanted)}")
    return problems


def offered_by_declaration(flow, objects_and_actors) -> dict[str, set[str]]:
    """surface → every transition `available` gives some actor on some object: what the pages offer over all cases."""
    seen: dict[str, set[str]] = {}
    for obj, users in objects_and_actors:
        for user in users:
            for t in flow.available(as_user(user), obj):
                for surface in t.surfaces:
                    seen.setdefault(surface, set()).add(t.name)
    return seen


def surfaces_of(flow) -> set[str]:
    return {s for t in flow for s in t.surfaces}


def built(case: Case, world):
    """The case's object, read back from the database, in the state the case names."""
    made = case.build(world)
    obj = type(made).objects.get(pk=made.pk)
    assert case.flow.state_of(obj) == case.state, f"{case.id}: the builder left it in {case.flow.state_of(obj)}"
    return obj


def offer_tests(cases: list[Case], pages: dict):
    """The three tests every app's test_workflow_offers.py runs over its own cases and pages (each module binds them
    to its names, so pytest collects them there, with that module's `world` fixture):

        (test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
         test_every_transition_a_page_may_offer_is_offered_to_somebody) = offer_tests(CASES, PAGES)
    """
    import pytest

    def test_every_surface_of_these_workflows_has_its_page():
        for flow, flow_pages in pages.items():
            assert set(flow_pages) == surfaces_of(flow), flow

    @pytest.mark.parametrize("case", cases, ids=lambda c: c.id)
    def test_each_page_offers_exactly_the_declared_transitions(world, case):
        obj = built(case, world)
        problems = page_mismatches(case, obj, world.actors, pages[case.flow])
        assert not problems, "\n".join(problems)

    @pytest.mark.parametrize("workflow", list(pages), ids=lambda f: f.name)
    def test_every_transition_a_page_may_offer_is_offered_to_somebody(world, workflow):
        """Over the cases, the declaration offers every transition it puts on a page: no button that no state or
        person ever reaches (and the page tests show the pages offer exactly these)."""
        objects = [(built(case, world), world.actors.values()) for case in cases if case.flow is workflow]
        seen = offered_by_declaration(workflow, objects)
        for surface in surfaces_of(workflow):
            assert seen.get(surface, set()) == declared_on(workflow, surface), f"{workflow.name} on {surface}"

    return (test_every_surface_of_these_workflows_has_its_page, test_each_page_offers_exactly_the_declared_transitions,
            test_every_transition_a_page_may_offer_is_offered_to_somebody)
