"""Voters' opinions' own history table (OpinionEvent) gives way to the one history of every workflow
(congress.StateChange), with the step names stations/workflows.py declares; then the old table goes."""
from django.db import migrations


def forwards(apps, schema_editor):
    OpinionEvent = apps.get_model("stations", "OpinionEvent")
    StateChange = apps.get_model("congress", "StateChange")
    rows = []
    for e in OpinionEvent.objects.order_by("at", "pk").iterator(chunk_size=2000):
        rows.append(StateChange(workflow="opinion", object_id=e.opinion_id, thread=f"opinion:{e.opinion_id}",
                                action=e.action, from_state=e.from_state, to_state=e.to_state, actor_id=e.actor_id,
                                reason=e.note, at=e.at))
        if len(rows) >= 2000:
            StateChange.objects.bulk_create(rows)
            rows = []
    StateChange.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0004_station_appraisals"),
        ("congress", "0008_state_change"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="OpinionEvent"),
    ]
