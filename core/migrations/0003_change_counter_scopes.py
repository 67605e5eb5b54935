import django.utils.timezone
from django.core.management.color import no_style
from django.db import migrations, models


def add_the_registry_counter(apps, schema_editor):
    counter = apps.get_model("core", "ChangeCounter")
    # The first row was made with its id given, which left PostgreSQL's sequence behind: bring it up to date.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [counter]):
            cursor.execute(statement)
    counter.objects.get_or_create(scope="registry")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_change_counter"),
    ]

    operations = [
        # The one counter there was counts every change: it becomes the scope "all".
        migrations.AddField(
            model_name="changecounter",
            name="scope",
            field=models.CharField(default="all", max_length=40),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="changecounter",
            name="scope",
            field=models.CharField(default="all", max_length=40, unique=True),
        ),
        migrations.AddField(
            model_name="changecounter",
            name="changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(add_the_registry_counter, migrations.RunPython.noop),
    ]
