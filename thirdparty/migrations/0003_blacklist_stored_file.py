"""BlacklistEntry takes the uniform stored-file fields (greenmfg.core.stored_files).

``evidence`` and ``evidence_name`` are renamed to ``file`` and ``original_name`` (the columns
keep their data; the API still publishes ``evidence_name``). The stored paths do not change:
they were ``blacklist/<sha256>.<extension>``, which is what the shared ``upload_path`` gives.
``size`` is added and filled from the stored file where it can be read (else 0); ``pages`` is
nullable (unknown for existing rows, counted on new uploads).
"""

from django.db import migrations, models

import greenmfg.core.stored_files


def fill_sizes(apps, schema_editor):
    BlacklistEntry = apps.get_model("thirdparty", "BlacklistEntry")
    for entry in BlacklistEntry.objects.exclude(file="").only("pk", "file").iterator():
        try:
            size = entry.file.size
        except (OSError, ValueError):
            continue
        BlacklistEntry.objects.filter(pk=entry.pk).update(size=size)


class Migration(migrations.Migration):

    dependencies = [
        ('thirdparty', '0002_stored_file_fields'),
    ]

    operations = [
        migrations.RenameField(
            model_name='blacklistentry',
            old_name='evidence',
            new_name='file',
        ),
        migrations.RenameField(
            model_name='blacklistentry',
            old_name='evidence_name',
            new_name='original_name',
        ),
        migrations.AlterField(
            model_name='blacklistentry',
            name='file',
            field=models.FileField(max_length=300, upload_to=greenmfg.core.stored_files.upload_path, verbose_name='文件'),
        ),
        migrations.AlterField(
            model_name='blacklistentry',
            name='original_name',
            field=models.CharField(max_length=255, verbose_name='原文件名'),
        ),
        migrations.AlterField(
            model_name='blacklistentry',
            name='sha256',
            field=models.CharField(max_length=64, verbose_name='SHA-256'),
        ),
        migrations.AddField(
            model_name='blacklistentry',
            name='size',
            field=models.PositiveBigIntegerField(default=0, verbose_name='大小（字节）'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='blacklistentry',
            name='pages',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='页数'),
        ),
        migrations.RunPython(fill_sizes, migrations.RunPython.noop),
    ]
