# One audit log: coverage's own audit events (who viewed or exported people, roster imports) move into
# learning.AuditEvent, which the retention purge and "download my data" already cover.

from django.db import migrations

TARGET_TYPE = "coverage.trainingtarget"


def events_to_learning(apps, schema_editor):
    old = apps.get_model("coverage", "AuditEvent")
    new = apps.get_model("learning", "AuditEvent")
    batch = []
    for event in old.objects.order_by("pk").iterator(chunk_size=2000):
        target_id = event.detail.get("target") if isinstance(event.detail, dict) else None
        batch.append(
            new(
                actor_id=event.actor_id,
                action=event.action,
                target_type=TARGET_TYPE if target_id is not None else "",
                target_id="" if target_id is None else str(target_id),
                municipality_id=event.municipality_id,
                detail=event.detail,
                at=event.at,
            )
        )
        if len(batch) >= 2000:
            new.objects.bulk_create(batch)
            batch = []
    new.objects.bulk_create(batch)


def events_back_to_coverage(apps, schema_editor):
    old = apps.get_model("coverage", "AuditEvent")
    new = apps.get_model("learning", "AuditEvent")
    moved = new.objects.filter(
        action__in=["people_viewed", "people_exported", "roster_imported"], municipality__isnull=False
    )
    old.objects.bulk_create(
        [
            old(actor_id=e.actor_id, action=e.action, municipality_id=e.municipality_id, detail=e.detail, at=e.at)
            for e in moved.iterator(chunk_size=2000)
        ],
        batch_size=2000,
    )
    moved.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("coverage", "0002_staff_training_summary"),
        ("learning", "0003_security_auditevent_cpr"),
    ]

    operations = [
        migrations.RunPython(events_to_learning, events_back_to_coverage),
        migrations.DeleteModel(name="AuditEvent"),
    ]
