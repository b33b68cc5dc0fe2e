"""The suggestion lifecycle's own history table (Transition) gives way to the one history of every workflow
(congress.StateChange). Rows are copied with the workflow, object and step names the declarations in
proposals/workflows.py use, so old timelines read the same; then the old table goes."""
from django.db import migrations

SUGGESTION_ACTIONS = {"submit": "submit", "presubmit": "presubmit", "town_return": "town_return",
                      "town_forward": "town_forward", "register": "register", "return": "return", "merge": "merge",
                      "merge_in": "merge_in", "assign": "assign", "cosign_invite": "invite", "replied": "replied",
                      "rehandle": "rehandle", "reassign_pending": "reassign_pending", "priority": "priority",
                      "supervision_event": "supervise", "close": "close", "create": "create",
                      "from_proposal": "from_proposal", "contact": "handling"}
ASSIGNMENT_ACTIONS = {"assign": "assign", "request_send_back": "request_send_back",
                      "approve_send_back": "approve_send_back", "reject_send_back": "reject_send_back",
                      "extend": "extend", "contact": "contact", "assist_opinion": "assist_opinion", "reply": "reply",
                      "second_reply": "second_reply", "followup": "followup", "rehandle": "rehandle"}
PROPOSAL_ACTIONS = {"proposal_register": "register", "proposal_agenda": "place_on_agenda", "proposal_convert": "convert"}


def forwards(apps, schema_editor):
    Transition = apps.get_model("proposals", "Transition")
    Cosignature = apps.get_model("proposals", "Cosignature")
    StateChange = apps.get_model("congress", "StateChange")
    rows = []
    for t in Transition.objects.order_by("id").iterator(chunk_size=2000):
        thread = f"suggestion:{t.suggestion_id}" if t.suggestion_id else f"proposal:{t.proposal_id}"
        base = dict(thread=thread, from_state=t.from_state, to_state=t.to_state, actor_id=t.actor_id, reason=t.reason,
                    at=t.at)
        if t.entity == "proposal":
            rows.append(StateChange(workflow="proposal", object_id=t.proposal_id,
                                    action=PROPOSAL_ACTIONS.get(t.action, t.action), **base))
        elif t.entity == "reply":  # publishing and evaluating a reply are steps of its assignment
            action = "publish_reply" if t.action == "publish" else "evaluate"
            rows.append(StateChange(workflow="assignment", object_id=t.assignment_id, action=action,
                                    **{**base, "from_state": "replied", "to_state": "replied"}))
        elif t.action in ("cosign_confirm", "cosign_decline"):
            found = Cosignature.objects.filter(suggestion_id=t.suggestion_id, status=t.to_state).order_by("id").first()
            if found is not None:
                rows.append(StateChange(workflow="cosignature", object_id=found.pk,
                                        action="confirm" if t.action == "cosign_confirm" else "decline", **base))
        elif t.entity == "assignment" and t.assignment_id:
            rows.append(StateChange(workflow="assignment", object_id=t.assignment_id,
                                    action=ASSIGNMENT_ACTIONS.get(t.action, t.action), **base))
        elif t.suggestion_id:
            rows.append(StateChange(workflow="suggestion", object_id=t.suggestion_id,
                                    action=SUGGESTION_ACTIONS.get(t.action, t.action), **base))
        if len(rows) >= 2000:
            StateChange.objects.bulk_create(rows)
            rows = []
    StateChange.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
        ("congress", "0008_state_change"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="Transition"),
    ]
