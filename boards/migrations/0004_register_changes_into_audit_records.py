"""The register's history moves into core's one audit table, keeping every change and its areas."""

from django.db import migrations

BATCH = 500


def copy_changes(apps, schema_editor):
    RegisterChange = apps.get_model("boards", "RegisterChange")
    AuditRecord = apps.get_model("core", "AuditRecord")
    AuditRecordArea = apps.get_model("core", "AuditRecordArea")
    labels = {model._meta.model_name: model._meta.label for model in apps.get_app_config("boards").get_models()}
    actions = {"change": "update"}
    changes = list(RegisterChange.objects.order_by("id").prefetch_related("areas"))
    for start in range(0, len(changes), BATCH):
        chunk = changes[start : start + BATCH]
        records = AuditRecord.objects.bulk_create(
            AuditRecord(
                user_id=change.user_id,
                at=change.at,
                action=actions.get(change.action, change.action),
                object_type=labels.get(change.record_type, f"boards.{change.record_type}"),
                object_id=str(change.record_id),
                object_repr=change.record_label,
                before=change.before,
                after=change.after,
            )
            for change in chunk
        )
        AuditRecordArea.objects.bulk_create(
            AuditRecordArea(record_id=record.pk, area_id=area.pk)
            for change, record in zip(chunk, records, strict=True)
            for area in change.areas.all()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0003_post_holding_name"),
        ("core", "0001_audit_record"),
    ]

    operations = [
        migrations.RunPython(copy_changes, migrations.RunPython.noop),
        migrations.DeleteModel(name="RegisterChange"),
    ]
