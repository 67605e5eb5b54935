"""The record of what was agreed: one frozen JSON document per agreed or superseded version.

Existing agreed and superseded versions are recorded from their rows as they stand (the fingerprint
formula is unchanged, so their sealed PDFs keep verifying). The back-fill reads through the current
code (protocols.frozen), which is what defines the document; it only runs where such versions exist,
that is on a database migrated before this step, whose tables match that code. On PostgreSQL a trigger
then refuses any change or deletion of a record, as migration 0006's triggers do for agreed rows.
"""

import django.db.models.deletion
from django.db import DatabaseError, migrations, models, transaction

FREEZE_RECORD = """
CREATE OR REPLACE FUNCTION registry_refuse_agreed_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('registry.unlocked', true) = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'The record of what version % stated belongs to an agreed or superseded version: it is written once and cannot be changed or deleted',
        OLD.version_id USING ERRCODE = 'object_not_in_prerequisite_state';
END;
$$;
DROP TRIGGER IF EXISTS registry_freeze_agreed ON protocols_agreedrecord;
CREATE TRIGGER registry_freeze_agreed BEFORE UPDATE OR DELETE ON protocols_agreedrecord
    FOR EACH ROW EXECUTE FUNCTION registry_refuse_agreed_record_change();
"""


def install_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FREEZE_RECORD)


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS registry_freeze_agreed ON protocols_agreedrecord;")


def back_fill(apps, schema_editor):
    ProtocolVersion = apps.get_model("protocols", "ProtocolVersion")
    if not ProtocolVersion.objects.filter(status__in=["agreed", "superseded"]).exists():
        return
    from protocols.frozen import freeze_missing

    try:
        with transaction.atomic():
            freeze_missing()
    except DatabaseError:
        # A later migration of another app has not run yet, so the current code cannot read these tables:
        # each version then gets its record on first use (protocols.frozen.freeze), from the same rows.
        pass


def remove_records(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SET LOCAL registry.unlocked = 'on'")
    apps.get_model("protocols", "AgreedRecord").objects.all()._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0008_version_history_as_written"),
        # The back-fill reads what these apps' current tables hold about each version.
        ("accountability", "0008_freeze_obligation_senders_in_postgresql"),
        ("boards", "0005_dates_at_their_precision"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgreedRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("document", models.JSONField(help_text="The version's content as it was agreed (protocols.frozen).")),
                (
                    "fingerprint",
                    models.CharField(db_index=True, help_text="SHA-256 of the document's agreed text.", max_length=64),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "version",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agreed_record",
                        to="protocols.protocolversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "record of what was agreed",
                "verbose_name_plural": "records of what was agreed",
            },
        ),
        migrations.RunPython(install_trigger, remove_trigger),
        migrations.RunPython(back_fill, remove_records),
    ]
