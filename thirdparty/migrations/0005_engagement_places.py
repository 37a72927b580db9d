"""Engagement carries its application's county, city and province (issue 16).

The officials' engagement lists filtered on the application's jurisdiction path, which joined
every application of the subtree to count and page them. The three columns are filled from the
applications here (one UPDATE per county, so it runs on SQLite too), then the county becomes
required, and each scope gets an index in the lists' order (-created_at, -id).
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_places(apps, schema_editor):
    Engagement = apps.get_model("thirdparty", "Engagement")
    Jurisdiction = apps.get_model("directory", "Jurisdiction")
    db = schema_editor.connection.alias
    if schema_editor.connection.vendor == "postgresql":
        # Checked now rather than at commit: the ALTER TABLE below refuses pending trigger events.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    counties = (
        Engagement.objects.using(db)
        .order_by()
        .values_list("application__jurisdiction_id", flat=True)
        .distinct()
    )
    paths = dict(
        Jurisdiction.objects.using(db).filter(pk__in=list(counties)).values_list("pk", "path")
    )
    ids = dict(Jurisdiction.objects.using(db).values_list("path", "id"))
    for county, path in paths.items():
        parts = path.strip("/").split("/")
        Engagement.objects.using(db).filter(application__jurisdiction_id=county).update(
            jurisdiction_id=county,
            province_id=ids.get("/".join(parts[:2]) + "/") if len(parts) >= 2 else None,
            city_id=ids.get("/".join(parts[:3]) + "/") if len(parts) >= 3 else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0010_recent_index"),
        ("directory", "0003_organisation_name_trigram"),
        ("thirdparty", "0004_recent_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="engagement",
            name="jurisdiction",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.jurisdiction",
                verbose_name="所在区划",
            ),
        ),
        migrations.AddField(
            model_name="engagement",
            name="province",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.jurisdiction",
                verbose_name="所属省份",
            ),
        ),
        migrations.AddField(
            model_name="engagement",
            name="city",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.jurisdiction",
                verbose_name="所属城市",
            ),
        ),
        migrations.RunPython(fill_places, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="engagement",
            name="jurisdiction",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.jurisdiction",
                verbose_name="所在区划",
            ),
        ),
        migrations.AddIndex(
            model_name="engagement",
            index=models.Index(
                fields=["jurisdiction", "-created_at", "-id"], name="engagement_place_recent"
            ),
        ),
        migrations.AddIndex(
            model_name="engagement",
            index=models.Index(
                fields=["city", "-created_at", "-id"], name="engagement_city_recent"
            ),
        ),
        migrations.AddIndex(
            model_name="engagement",
            index=models.Index(
                fields=["province", "-created_at", "-id"], name="engagement_province_recent"
            ),
        ),
    ]
