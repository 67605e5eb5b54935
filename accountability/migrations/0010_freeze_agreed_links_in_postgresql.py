"""On PostgreSQL, the links of what an agreed or superseded version states to other records cannot be
changed or removed either: the boards and posts taking part in its meetings, the Acts and guidance its
duties cite, the boards and posts of its escalation steps (the trigger function is protocols migration
0006's; protocols.deletion refuses the same through the ORM on every database)."""

import importlib

from django.db import migrations

freeze = importlib.import_module("protocols.migrations.0006_freeze_agreed_versions_in_postgresql")

MEETING = "SELECT version_id FROM accountability_meeting WHERE id = $1"
STEP = (
    "SELECT r.version_id FROM accountability_escalationstep s "
    "JOIN accountability_escalationroute r ON r.id = s.route_id WHERE s.id = $1"
)

LINK_TABLES = {
    "accountability_duty_legal_references": (
        "duty_id",
        "SELECT version_id FROM accountability_duty WHERE id = $1",
    ),
    "accountability_meeting_participant_posts": ("meeting_id", MEETING),
    "accountability_meeting_participant_boards": ("meeting_id", MEETING),
    "accountability_escalationstep_posts": ("escalationstep_id", STEP),
    "accountability_escalationstep_boards": ("escalationstep_id", STEP),
}


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0009_meeting_frequency_not_stated"),
    ]

    operations = [migrations.RunPython(freeze.install(LINK_TABLES), freeze.remove(LINK_TABLES))]
