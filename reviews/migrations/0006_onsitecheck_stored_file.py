"""OnsiteCheck takes the uniform stored-file fields (greenmfg.core.stored_files).

The file stays optional (a check without one keeps the file fields empty and ``size`` 0). The
stored paths do not change: they were ``onsite/<application>/<sha256>.<extension>``, which is
what the shared ``upload_path`` gives with ``upload_folder = "onsite/{self.application_id}"``.
``size`` is added and filled from the stored file where it can be read; ``pages`` is nullable
(unknown for existing rows). The other changes only set verbose names and ``blank`` (no SQL).
"""

from django.db import migrations, models

import greenmfg.core.stored_files


def fill_sizes(apps, schema_editor):
    OnsiteCheck = apps.get_model("reviews", "OnsiteCheck")
    for check in OnsiteCheck.objects.exclude(file="").only("pk", "file").iterator():
        try:
            size = check.file.size
        except (OSError, ValueError):
            continue
        OnsiteCheck.objects.filter(pk=check.pk).update(size=size)


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0005_stored_file_fields'),
    ]

    operations = [
        migrations.AlterField(
            model_name='onsitecheck',
            name='file',
            field=models.FileField(blank=True, max_length=300, upload_to=greenmfg.core.stored_files.upload_path, verbose_name='文件'),
        ),
        migrations.AlterField(
            model_name='onsitecheck',
            name='original_name',
            field=models.CharField(max_length=255, verbose_name='原文件名'),
        ),
        migrations.AlterField(
            model_name='onsitecheck',
            name='extension',
            field=models.CharField(max_length=10),
        ),
        migrations.AlterField(
            model_name='onsitecheck',
            name='content_type',
            field=models.CharField(max_length=100),
        ),
        migrations.AlterField(
            model_name='onsitecheck',
            name='sha256',
            field=models.CharField(max_length=64, verbose_name='SHA-256'),
        ),
        migrations.AddField(
            model_name='onsitecheck',
            name='size',
            field=models.PositiveBigIntegerField(default=0, verbose_name='大小（字节）'),
        ),
        migrations.AddField(
            model_name='onsitecheck',
            name='pages',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='页数'),
        ),
        migrations.RunPython(fill_sizes, migrations.RunPython.noop),
    ]
