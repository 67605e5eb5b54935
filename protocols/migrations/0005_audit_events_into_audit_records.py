"""The protocol audit trail moves into core's one audit table, keeping every recorded event."""

from django.db import migrations

BATCH = 2000


def copy_events(apps, schema_editor):
    AuditEvent = apps.get_model("protocols", "AuditEvent")
    AuditRecord = apps.get_model("core", "AuditRecord")
    batch = []
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=BATCH):
        batch.append(
            AuditRecord(
                user_id=event.actor_id,
                at=event.at,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                object_repr=event.object_repr,
                before=event.before,
                after=event.after,
                message=event.message,
                protocol_id=event.protocol_id,
                version_id=event.version_id,
            )
        )
        if len(batch) >= BATCH:
            AuditRecord.objects.bulk_create(batch)
            batch = []
    AuditRecord.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0004_imported_document"),
        ("core", "0001_audit_record"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditEvent"),
    ]
