from django.db import migrations, models


def create_the_counter(apps, schema_editor):
    apps.get_model("core", "ChangeCounter").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_audit_record"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "change counter"},
        ),
        migrations.RunPython(create_the_counter, migrations.RunPython.noop),
    ]
