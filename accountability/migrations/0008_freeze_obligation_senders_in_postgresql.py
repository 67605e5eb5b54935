"""On PostgreSQL, who sends an obligation of an agreed or superseded version cannot change either, like its
recipients (the trigger function is protocols migration 0006's)."""

import importlib

from django.db import migrations

freeze = importlib.import_module("protocols.migrations.0006_freeze_agreed_versions_in_postgresql")

CONTENT_TABLES = {
    "accountability_obligationsender": (
        "obligation_id",
        "SELECT version_id FROM accountability_reportingobligation WHERE id = $1",
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0007_relations_denied_or_both_ways"),
    ]

    operations = [migrations.RunPython(freeze.install(CONTENT_TABLES), freeze.remove(CONTENT_TABLES))]
