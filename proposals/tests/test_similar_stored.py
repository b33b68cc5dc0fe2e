"""Similar suggestions out of the request path: computed in the worker when a suggestion is submitted, stored as each
suggestion's top matches, read by the admin page and the merge form in a fixed number of queries."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from proposals import tasks
from proposals.models import SimilarMatch, Suggestion, SuggestionVector
from proposals.selectors import similar_for_page, similar_suggestions, stored_similar
from proposals.services.similar import similar_refresh, similar_refresh_term
from tests.forms import form_fields

ELEVATOR = dict(title="关于加快老旧小区加装电梯的建议", content="老旧小区居民上下楼困难，建议加快加装电梯。")
ELEVATOR_2 = dict(title="关于推进老旧小区加装电梯工作的建议", content="加装电梯审批慢，建议简化老旧小区加装电梯审批。")
BUS = dict(title="关于增开城东公交线路的建议", content="城东新区公交线路少，群众出行不便，建议增开公交线路。")
BUS_2 = dict(title="关于优化城东公交站点设置的建议", content="城东公交站点间距过大，建议增设公交站点。")


def test_submitting_schedules_the_computation_after_commit(flow, monkeypatch, django_capture_on_commit_callbacks):
    scheduled = []
    monkeypatch.setattr(tasks.refresh_similar, "delay", scheduled.append)
    with django_capture_on_commit_callbacks(execute=True):
        s = flow.submitted(**ELEVATOR)
    assert scheduled == [s.pk]
    draft = flow.draft(**BUS)  # a draft is nobody's match
    assert similar_refresh(suggestion_id=draft.pk) == 0


def test_matches_are_stored_best_first_and_the_older_ones_learn_of_the_new_one(flow):
    elevator = flow.submitted(**ELEVATOR)
    bus = flow.submitted(**BUS)
    bus2 = flow.submitted(**BUS_2)
    similar_refresh(suggestion_id=elevator.pk)
    similar_refresh(suggestion_id=bus.pk)
    newcomer = flow.submitted(**ELEVATOR_2)
    similar_refresh(suggestion_id=newcomer.pk)
    mine = stored_similar(newcomer)
    assert mine[0][0] == elevator
    assert [score for _, score in mine] == sorted((score for _, score in mine), reverse=True)
    # the elevator suggestion computed before the newcomer existed now has it as its best match
    assert stored_similar(elevator)[0][0] == newcomer
    assert stored_similar(bus)[0][0] == bus2
    assert SuggestionVector.objects.filter(suggestion=newcomer).exists()


def test_the_stored_score_of_a_pair_is_the_score_computed_on_the_page(flow):
    # the nightly run and the page's direct computation share one cosine: the same pair, the same pool, the same score
    elevator = flow.submitted(**ELEVATOR)
    newcomer = flow.submitted(**ELEVATOR_2)
    flow.submitted(**BUS)
    flow.submitted(**BUS_2)
    similar_refresh(suggestion_id=newcomer.pk)
    stored = {other.pk: score for other, score in stored_similar(newcomer)}
    live = {other.pk: score for other, score in similar_suggestions(newcomer)}
    assert stored[elevator.pk] == live[elevator.pk] > 0
    assert stored == live


def test_a_merged_one_drops_out_and_the_nightly_refresh_recomputes_the_term(flow, staff, term):
    elevator = flow.submitted(**ELEVATOR)
    elevator2 = flow.submitted(**ELEVATOR_2)
    flow.submitted(**BUS)
    similar_refresh(suggestion_id=elevator.pk)
    Suggestion.objects.filter(pk=elevator2.pk).update(status=Suggestion.Status.MERGED)
    assert elevator2 not in [s for s, _ in stored_similar(elevator)]
    written = similar_refresh_term(term_id=term.pk)
    assert written == SimilarMatch.objects.count() > 0
    assert not SimilarMatch.objects.filter(other=elevator2).exists()


def test_editing_the_text_forgets_the_stored_vector(flow, staff, monkeypatch, django_capture_on_commit_callbacks):
    scheduled = []
    monkeypatch.setattr(tasks.refresh_similar, "delay", scheduled.append)
    s = flow.submitted(**ELEVATOR)
    similar_refresh(suggestion_id=s.pk)
    SuggestionVector.objects.get_or_create(suggestion=s, term=s.term)
    client = client_for(staff)
    url = reverse("admin:proposals_suggestion_change", args=[s.pk])
    form = form_fields(client.get(url).content.decode())
    form["title"] = "关于老旧小区加装电梯补贴的建议"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not SuggestionVector.objects.filter(suggestion=s).exists()
    assert scheduled == [s.pk]


def test_the_admin_page_reads_the_stored_list_in_the_same_queries_whatever_the_pool(flow, staff):
    target = flow.submitted(**ELEVATOR)
    s = flow.submitted(**ELEVATOR_2)
    for i in range(3):
        flow.submitted(title=f"关于第{i}条道路修缮的建议", content=f"第{i}条道路破损，建议修缮。")
    similar_refresh(suggestion_id=s.pk)
    client = client_for(staff)
    url = reverse("admin:proposals_suggestion_change", args=[s.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        page = client.get(url).content.decode()
    assert target.title in page.split('id="similar-suggestions"')[1].split("<tr>")[1]
    for i in range(3, 12):
        flow.submitted(title=f"关于第{i}条道路修缮的建议", content=f"第{i}条道路破损，建议修缮。")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
    # nothing is read from the pool's texts: the stored rows answer
    assert not any("\"content\"" in q["sql"] and "proposals_suggestion" in q["sql"] and "similar" not in q["sql"]
                   for q in large.captured_queries if "LIMIT 21" not in q["sql"])
    assert similar_for_page(s)[0][0] == target
