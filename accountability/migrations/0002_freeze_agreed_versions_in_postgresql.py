"""On PostgreSQL, what an agreed or superseded version states about duties, obligations, relations,
meetings, escalation routes and priorities cannot change or be deleted (the trigger function is
protocols migration 0006's)."""

import importlib

from django.db import migrations

freeze = importlib.import_module("protocols.migrations.0006_freeze_agreed_versions_in_postgresql")

CONTENT_TABLES = {
    "accountability_duty": ("version_id", "$1"),
    "accountability_reportingobligation": ("version_id", "$1"),
    "accountability_relation": ("version_id", "$1"),
    "accountability_meeting": ("version_id", "$1"),
    "accountability_escalationroute": ("version_id", "$1"),
    "accountability_priority": ("version_id", "$1"),
    "accountability_obligationrecipient": (
        "obligation_id",
        "SELECT version_id FROM accountability_reportingobligation WHERE id = $1",
    ),
    "accountability_agendaitem": ("meeting_id", "SELECT version_id FROM accountability_meeting WHERE id = $1"),
    "accountability_escalationstep": ("route_id", "SELECT version_id FROM accountability_escalationroute WHERE id = $1"),
    "accountability_prioritylead": ("priority_id", "SELECT version_id FROM accountability_priority WHERE id = $1"),
    "accountability_clausecitation": (
        "clause_id",
        "SELECT s.version_id FROM protocols_clause c JOIN protocols_section s ON s.id = c.section_id WHERE c.id = $1",
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0001_initial"),
        ("protocols", "0006_freeze_agreed_versions_in_postgresql"),
    ]

    operations = [migrations.RunPython(freeze.install(CONTENT_TABLES), freeze.remove(CONTENT_TABLES))]
