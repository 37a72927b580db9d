"""The 15-project caps: 洛阳 第二十条 per year over one legal representative's agencies, national
projects only; 大连 二 per batch over a legal entity and its related entities; 济南 sets none.

洛阳's cases run in national batches (two of them where a single one would also reach 大连 二's
per-batch fifteen): 洛阳's city and provincial projects are neither counted nor capped (see
test_luoyang_cap_national_only.py)."""

import pytest

from applications.models import Application
from applications.services.applications import application_save_draft
from greenmfg.core.errors import DomainError
from tests.reviews.test_sheets import boundary_template  # noqa: F401 (fixture)
from thirdparty.models import Engagement
from thirdparty.selectors.agencies import batch_usage, year_usage

from .helpers import (
    batch_of,
    draft,
    engage_many,
    name_agency,
    national_batch,
    qualified_agency,
    relate,
)

pytestmark = pytest.mark.django_db


def test_luoyang_fifteen_projects_and_the_sixteenth_is_refused_with_the_count():
    agency = qualified_agency()
    engage_many(national_batch(), agency, 15)

    sixteenth, applicant = draft(national_batch())
    [refusal] = name_agency(sixteenth, applicant, agency)

    assert "已承担 15 项，再增加 1 项为 16 项，超过 15 项上限" in refusal
    assert "第二十条" in refusal
    sixteenth.refresh_from_db()
    assert sixteenth.agency is None  # the draft keeps what it had
    assert Engagement.objects.filter(agency=agency, status="active").count() == 15


def test_luoyang_counts_every_agency_of_the_same_legal_representative_over_the_year():
    shared = "410302198001011234"
    first, second = qualified_agency(representative=shared), qualified_agency(representative=shared)
    stranger = qualified_agency()
    engage_many(national_batch(), first, 10)
    other_batch = national_batch()  # another national batch of the same year
    engage_many(other_batch, second, 5)

    late, applicant = draft(other_batch)
    assert "已承担 15 项" in name_agency(late, applicant, second)[0]
    assert "已承担 15 项" in name_agency(late, applicant, first)[0]
    assert name_agency(late, applicant, stranger) == []
    assert year_usage(agency_id=first.pk, year=2026) == 15


def test_luoyang_a_new_year_starts_afresh():
    agency = qualified_agency()
    engage_many(national_batch(), agency, 15)

    application, applicant = draft(national_batch(year=2027))

    assert name_agency(application, applicant, agency) == []


def test_dalian_counts_the_legal_entity_and_its_related_entities_per_batch():
    batch = batch_of("dalian")
    agency, parent, unrelated = qualified_agency(), qualified_agency(), qualified_agency()
    relate(agency, parent)
    engage_many(batch, agency, 10, county="dalian")
    engage_many(batch, parent, 5, county="dalian")

    late, applicant = draft(batch, county="dalian")
    [refusal] = name_agency(late, applicant, agency)
    assert "本批次同一法人及其关联单位已承担 15 项" in refusal and "二" in refusal
    # The relation counts from either side.
    assert "已承担 15 项" in name_agency(late, applicant, parent)[0]
    assert name_agency(late, applicant, unrelated) == []
    assert batch_usage(agency_id=parent.pk, batch=batch) == 15


def test_dalian_another_batch_has_its_own_fifteen():
    agency = qualified_agency()
    engage_many(batch_of("dalian"), agency, 15, county="dalian")

    application, applicant = draft(batch_of("dalian"), county="dalian")

    assert name_agency(application, applicant, agency) == []


def test_dalian_does_not_count_a_shared_representative_and_luoyang_not_a_relation():
    shared = "410302198001015678"
    first, same_person = (
        qualified_agency(representative=shared),
        qualified_agency(representative=shared),
    )
    engage_many(batch_of("dalian"), first, 15, county="dalian")
    dalian_late, applicant = draft(batch_of("dalian"), county="dalian")
    assert name_agency(dalian_late, applicant, same_person) == []

    agency, related = qualified_agency(), qualified_agency()
    relate(agency, related)
    engage_many(national_batch(), agency, 15)
    luoyang_late, applicant = draft(national_batch())
    assert name_agency(luoyang_late, applicant, related) == []


def test_jinan_sets_no_cap():
    batch = batch_of("jinan")
    agency = qualified_agency(city_key="370100")
    engage_many(batch, agency, 15, county="jinan")

    application, applicant = draft(batch, county="jinan")

    assert name_agency(application, applicant, agency) == []


@pytest.mark.parametrize("how", ["self_evaluation", "other_agency"])
def test_withdrawing_an_engagement_frees_its_place(how):
    # A national batch under a policy that lets a unit choose 自评价 (大连 一（一） asks both
    # reports, so there the way back is another agency only).
    batch = national_batch(policy="luoyang-2024")
    agency = qualified_agency()
    [(first, first_applicant), *_rest] = engage_many(batch, agency, 15)
    if how == "self_evaluation":
        application_save_draft(application=first, actor=first_applicant, evaluation_mode="self")
    else:
        assert name_agency(first, first_applicant, qualified_agency()) == []

    late, applicant = draft(batch)

    assert name_agency(late, applicant, agency) == []
    assert Engagement.objects.filter(application=first, status="withdrawn").count() == 1


def test_naming_the_same_agency_again_takes_no_second_place():
    batch = batch_of("luoyang")
    agency = qualified_agency()
    [(application, applicant)] = engage_many(batch, agency, 1)

    application_save_draft(
        application=application,
        actor=applicant,
        evaluation_mode="third_party",
        agency=agency,
        facts={"independent_legal_entity": True},
    )

    assert Engagement.objects.filter(agency=agency).count() == 1


def test_the_api_refuses_the_sixteenth_with_the_count(client):
    agency = qualified_agency()
    engage_many(national_batch(), agency, 15)
    application, applicant = draft(national_batch())
    client.force_login(applicant)

    response = client.patch(
        f"/api/applications/{application.pk}/",
        {"evaluation_mode": "third_party", "agency": agency.pk},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "16 项" in str(response.json())
    assert Application.objects.get(pk=application.pk).agency_id is None


@pytest.mark.usefixtures("boundary_template")
def test_a_recommendation_up_engages_the_agency_under_the_higher_batchs_cap(demo):
    """大连 二 counts the national batch's projects: a province cannot recommend a sixteenth
    unit evaluated by one agency into it."""
    from reviews.services.promotion import promote
    from tests.reviews.test_promotion import city_listing, upper_batch

    agency = qualified_agency()
    listing = city_listing(demo)
    source = listing.application
    source.evaluation_mode, source.agency = "third_party", agency
    source.save()
    national = upper_batch("CN", "dalian-2022-national")
    engage_many(national, agency, 15)

    with pytest.raises(DomainError, match="已承担 15 项"):
        promote(batch=national, listing=listing, actor=demo["henan"])

    assert not Application.objects.filter(batch=national, source_application=source).exists()
