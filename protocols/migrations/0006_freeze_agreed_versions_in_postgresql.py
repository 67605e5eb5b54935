"""On PostgreSQL, triggers refuse changing or deleting what an agreed or superseded version states.

The services and the model guards refuse it already; the triggers make raw SQL, bulk ORM calls and
any path not yet written refuse it too. Inserting is allowed (an agreed paper document is entered row
by row), and so is saving a row unchanged. A version itself may still move from agreed to superseded
and keep its review bookkeeping (review_due, agreed_at, revision, updated_at, created_by). Commands
that delete their own synthetic data set `registry.unlocked` for their transaction (core.writes.unlocked).
SQLite keeps the model guards only.
"""

from django.db import migrations

LOCKED = "('agreed', 'superseded')"

# Each content table, the column that leads to its version, and how to reach the version from it ($1).
CONTENT_TABLES = {
    "protocols_section": ("version_id", "$1"),
    "protocols_party": ("version_id", "$1"),
    "protocols_glossaryentry": ("version_id", "$1"),
    "protocols_clause": ("section_id", "SELECT version_id FROM protocols_section WHERE id = $1"),
    "protocols_approval": ("party_id", "SELECT version_id FROM protocols_party WHERE id = $1"),
}

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION registry_refuse_agreed_content() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := to_jsonb(OLD);
    new_row jsonb;
    link text;
    version_status text;
BEGIN
    IF current_setting('registry.unlocked', true) = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        new_row := to_jsonb(NEW);
        IF (new_row - 'updated_at' - 'revision') = (old_row - 'updated_at' - 'revision') THEN
            RETURN NEW;
        END IF;
    END IF;
    FOREACH link IN ARRAY ARRAY[old_row ->> TG_ARGV[0], new_row ->> TG_ARGV[0]] LOOP
        CONTINUE WHEN link IS NULL;
        EXECUTE 'SELECT status FROM protocols_protocolversion WHERE id = (' || TG_ARGV[1] || ')'
            INTO version_status USING link::bigint;
        IF version_status IN {LOCKED} THEN
            RAISE EXCEPTION 'A row of % belongs to an agreed or superseded version: it cannot be changed or deleted',
                TG_TABLE_NAME USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
    END LOOP;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE OR REPLACE FUNCTION registry_refuse_agreed_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bookkeeping text[] := ARRAY['status', 'review_due', 'agreed_at', 'revision', 'updated_at', 'created_by_id'];
BEGIN
    IF current_setting('registry.unlocked', true) = 'on' OR OLD.status NOT IN {LOCKED} THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Version % is the signed record: it cannot be deleted', OLD.id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF (NEW.status <> OLD.status AND NOT (OLD.status = 'agreed' AND NEW.status = 'superseded'))
       OR (to_jsonb(NEW) - bookkeeping) <> (to_jsonb(OLD) - bookkeeping) THEN
        RAISE EXCEPTION 'Version % is agreed or superseded: what it states cannot change', OLD.id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
END;
$$;
"""


def content_trigger(table, column, lookup):
    lookup = lookup.replace("'", "''")
    return f"""
DROP TRIGGER IF EXISTS registry_freeze_agreed ON {table};
CREATE TRIGGER registry_freeze_agreed BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION registry_refuse_agreed_content('{column}', '{lookup}');
"""


VERSION_TRIGGER = """
DROP TRIGGER IF EXISTS registry_freeze_agreed ON protocols_protocolversion;
CREATE TRIGGER registry_freeze_agreed BEFORE UPDATE OR DELETE ON protocols_protocolversion
    FOR EACH ROW EXECUTE FUNCTION registry_refuse_agreed_version_change();
"""


def run(schema_editor, sql):
    # A cursor without parameters: the functions' RAISE messages use % placeholders of their own.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


def install(tables):
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        run(schema_editor, FUNCTIONS)
        for table, (column, lookup) in tables.items():
            run(schema_editor, content_trigger(table, column, lookup))

    return forwards


def remove(tables):
    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            run(schema_editor, f"DROP TRIGGER IF EXISTS registry_freeze_agreed ON {table};")

    return backwards


def install_version_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        run(schema_editor, VERSION_TRIGGER)


def remove_version_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        run(schema_editor, "DROP TRIGGER IF EXISTS registry_freeze_agreed ON protocols_protocolversion;")


class Migration(migrations.Migration):
    dependencies = [("protocols", "0005_audit_events_into_audit_records")]

    operations = [
        migrations.RunPython(install(CONTENT_TABLES), remove(CONTENT_TABLES)),
        migrations.RunPython(install_version_trigger, remove_version_trigger),
    ]
