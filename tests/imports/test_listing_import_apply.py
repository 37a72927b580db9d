"""Importing existing listed units: preview, then apply writes the listings as publication does."""

from django.core.cache import cache

from greenmfg.audit.models import AuditEntry
from greenmfg.core.imports.models import ImportRun
from greenmfg.core.imports.services import import_apply, import_upload
from greenmfg.directory.models import Organisation, OrganisationCount
from registry.models import Listing, ListingEvent
from tests.factories.directory import OrganisationFactory, demo_place, valid_credit_code
from tests.factories.imports import listing_row, xlsx_upload


def test_preview_writes_nothing_but_the_run(demo):
    official = demo["luoyang-city"]
    run = import_upload(kind="listings", uploaded=xlsx_upload([listing_row()]), actor=official)
    assert run.state == ImportRun.State.PREVIEWED
    assert (run.rows, run.new, run.errors) == (1, 1, 0), run.results
    assert not Listing.objects.exists()


def test_apply_creates_organisation_listing_event_and_audit(demo):
    official = demo["luoyang-city"]
    code = valid_credit_code()
    run = import_upload(
        kind="listings",
        uploaded=xlsx_upload([listing_row(统一社会信用代码=code)]),
        actor=official,
    )
    counted = OrganisationCount.objects.get(
        jurisdiction=demo_place("410311"), kind="enterprise", status="active"
    ).total
    run = import_apply(run=run, actor=official)
    assert run.state == ImportRun.State.APPLIED and run.written == 1
    listing = Listing.objects.get(credit_code=code)
    assert listing.status == Listing.Status.ACTIVE
    assert listing.level == "city" and listing.unit_type == "factory"
    assert listing.authority.jurisdiction.key == "410300"
    assert listing.city.key == "410300" and listing.province.key == "410000"
    assert listing.import_run == run
    assert listing.organisation.kind == Organisation.Kind.ENTERPRISE
    assert listing.events.get().kind == ListingEvent.Kind.IMPORTED
    assert AuditEntry.objects.filter(action="imported", object_id=str(listing.pk)).exists()
    assert (
        OrganisationCount.objects.get(
            jurisdiction=demo_place("410311"), kind="enterprise", status="active"
        ).total
        == counted + 1
    )


def test_an_existing_organisation_is_matched_by_credit_code(demo):
    official = demo["luoyang-city"]
    organisation = OrganisationFactory(jurisdiction=demo_place("410311"))
    run = import_upload(
        kind="listings",
        uploaded=xlsx_upload([listing_row(统一社会信用代码=organisation.credit_code)]),
        actor=official,
    )
    assert run.matched == 1, run.results
    import_apply(run=run, actor=official)
    assert Listing.objects.get().organisation == organisation


def test_apply_reads_the_stored_file_again_when_the_rows_are_not_cached(demo):
    official = demo["luoyang-city"]
    run = import_upload(kind="listings", uploaded=xlsx_upload([listing_row()]), actor=official)
    cache.clear()
    run = import_apply(run=run, actor=official)
    assert run.written == 1 and Listing.objects.count() == 1
