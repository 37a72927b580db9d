from django.db import migrations, models


def mark_counties_with_zones(apps, schema_editor):
    Jurisdiction = apps.get_model("directory", "Jurisdiction")
    Jurisdiction.objects.filter(level="county", children__isnull=False).update(has_zones=True)


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_jurisdiction_active_changes")]

    operations = [
        migrations.AddField(
            model_name="jurisdiction",
            name="has_zones",
            field=models.BooleanField(default=False, editable=False, verbose_name="下设功能区"),
        ),
        migrations.RunPython(mark_counties_with_zones, migrations.RunPython.noop),
    ]
