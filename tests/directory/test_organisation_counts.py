"""The dashboards' organisation counts (OrganisationCount) are exact: after creates, status
changes, moves and deletes they equal a plain COUNT over each jurisdiction's subtree, and the
nightly rebuild repairs what a bulk write bypassed."""

import pytest
from django.urls import reverse

from greenmfg.celery import app
from greenmfg.directory.models import Jurisdiction, Organisation, OrganisationCount
from greenmfg.directory.selectors import (
    organisation_count,
    organisation_counts_by_child,
    organisation_totals,
)
from greenmfg.directory.services import (
    organisation_counts_rebuild,
    organisation_create,
    organisation_transition,
    registration_submit,
)
from greenmfg.directory.tasks import task_rebuild_organisation_counts
from tests.factories import OrganisationFactory
from tests.factories.directory import valid_credit_code

pytestmark = pytest.mark.django_db


def plain_counts() -> dict[tuple[int, str, str], int]:
    """COUNT(*) of every jurisdiction's subtree by kind and status, the slow honest way."""
    counts = {}
    for node in Jurisdiction.objects.all():
        rows = Organisation.objects.filter(jurisdiction__path__startswith=node.path)
        for kind, status in rows.values_list("kind", "status").distinct():
            counts[(node.pk, kind, status)] = rows.filter(kind=kind, status=status).count()
    return counts


def kept_counts() -> dict[tuple[int, str, str], int]:
    return {
        (place, kind, status): total
        for place, kind, status, total in OrganisationCount.objects.values_list(
            "jurisdiction_id", "kind", "status", "total"
        )
        if total
    }


def test_counts_follow_creates_status_changes_moves_and_deletes(demo):
    assert kept_counts() == plain_counts()
    county = demo["luoyang-county"].organisation.jurisdiction
    other = Jurisdiction.objects.get(code="410307")
    created = organisation_create(
        actor=demo["luoyang-city"],
        name="计数测试有限公司",
        kind=Organisation.Kind.ENTERPRISE,
        jurisdiction=county,
        credit_code=valid_credit_code(),
    )
    user = registration_submit(
        name="计数注册有限公司",
        kind=Organisation.Kind.ENTERPRISE,
        jurisdiction=county,
        credit_code=valid_credit_code(),
        address="洛阳",
        contact_name="张三",
        contact_phone="13900000000",
        username="count-reg",
        email="count-reg@example.cn",
        password="Secret-Pass-2026",
        full_name="张三",
    )
    OrganisationFactory.create_batch(3, jurisdiction=other, status=Organisation.Status.PENDING)
    assert kept_counts() == plain_counts()

    # Status changes through the door, and a plain save of a loaded row.
    organisation_transition(
        organisation=user.organisation, action="approve", actor=demo["luoyang-county"]
    )
    assert kept_counts() == plain_counts()
    row = Organisation.objects.get(pk=created.pk)
    row.status = Organisation.Status.DEACTIVATED
    row.save(update_fields=["status", "updated_at"])
    assert kept_counts() == plain_counts()
    # A field changed in memory but not saved (update_fields) is not counted.
    row.status = Organisation.Status.ACTIVE
    row.save(update_fields=["name"])
    assert kept_counts() == plain_counts()

    # Moves: to another county of the same city, then to another province.
    row = Organisation.objects.get(pk=created.pk)
    row.jurisdiction = other
    row.save()
    assert kept_counts() == plain_counts()
    far = Jurisdiction.objects.exclude(path__startswith=county.parent.parent.path).filter(
        level="county"
    )[0]
    row = Organisation.objects.only("id", "name").get(pk=created.pk)  # deferred fields
    row.jurisdiction_id = far.pk
    row.kind = Organisation.Kind.PARK
    row.save(update_fields=["jurisdiction", "kind"])
    assert kept_counts() == plain_counts()

    # Deletes, one and by queryset.
    Organisation.objects.get(pk=created.pk).delete()
    assert kept_counts() == plain_counts()
    Organisation.objects.filter(jurisdiction=other, status="pending").delete()
    assert kept_counts() == plain_counts()


def test_rebuild_repairs_a_bulk_write_and_reports_what_it_corrected(demo):
    county = demo["luoyang-county"].organisation.jurisdiction
    assert organisation_counts_rebuild() == 0
    Organisation.objects.bulk_create(
        Organisation(name=f"批量{n}", kind="enterprise", jurisdiction=county) for n in range(4)
    )
    Organisation.objects.filter(name="批量0").update(status="pending")
    assert kept_counts() != plain_counts()
    assert task_rebuild_organisation_counts.delay().get() > 0
    assert kept_counts() == plain_counts()
    assert organisation_counts_rebuild() == 0


def test_the_rebuild_runs_nightly():
    entry = app.conf.beat_schedule["directory-organisation-counts"]
    assert entry["task"] == task_rebuild_organisation_counts.name


def test_dashboard_numbers_match_a_plain_count(client, demo):
    county = demo["luoyang-county"].organisation.jurisdiction
    OrganisationFactory.create_batch(3, jurisdiction=county, status=Organisation.Status.PENDING)
    for username in ("nation", "henan", "luoyang-city", "luoyang-county"):
        user = demo[username]
        root = user.organisation.jurisdiction
        subtree = Organisation.objects.filter(jurisdiction__path__startswith=root.path)
        for row in organisation_counts_by_child(user=user):
            below = subtree.filter(jurisdiction__path__startswith=row["jurisdiction"].path)
            assert row["total"] == below.count()
            assert row["pending"] == below.filter(status="pending").count()
        totals = organisation_totals(user=user)
        assert totals["total"] == subtree.count()
        assert totals["pending"] == subtree.filter(status="pending").count()
        assert totals["by_kind"] == [
            {"kind": kind, "total": subtree.filter(kind=kind).count()}
            for kind in sorted(set(subtree.values_list("kind", flat=True)))
        ]
        assert organisation_count(user=user, kind="enterprise", status="pending") == (
            subtree.filter(kind="enterprise", status="pending").count()
        )
    admin = demo["admin"]
    assert organisation_totals(user=admin)["total"] == Organisation.objects.count()
    client.force_login(demo["luoyang-city"])
    body = client.get(reverse("dashboard")).content.decode()
    assert "洛龙区" in body
