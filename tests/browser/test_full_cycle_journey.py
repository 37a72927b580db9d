"""Journey: one factory's whole cycle, in the browser, for 洛阳 and for 济南.

The enterprise submits; the county reviews, consults the departments and recommends; the city
forms the expert panel and starts the review; three experts fill in the batch's scoring
template; the city decides, publishes the proposed list, the public objects, the city dismisses
the objection and publishes the list with its document number; then the city recommends the
listed unit into the province batch, citing the policy's article, and the province sees it.
"""

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.journey import (
    EXPERT_SHARES,
    JINAN,
    LUOYANG,
    arrange,
    city_decides_pass,
    city_dismisses_objection,
    city_forms_panel_and_starts_expert_review,
    city_publishes_list,
    city_recommends_to_province,
    city_starts_publicity,
    county_reviews_and_recommends,
    end_publicity_period,
    enterprise_submits,
    expert_scores,
    new_public_page,
    province_sees_recommendation,
    public_lodges_objection,
    public_sees_published_list,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public(browser: Browser):
    page = new_public_page(browser)
    yield page
    page.context.close()


@pytest.mark.parametrize("city", [LUOYANG, JINAN], ids=lambda city: city.slug)
def test_full_cycle_from_submission_to_province_recommendation(
    page: Page, public: Page, live_server, demo, settings, city
):
    cycle = arrange(demo, city=city, base=live_server.url, password=settings.DEMO_PASSWORD)

    enterprise_submits(page, cycle)
    county_reviews_and_recommends(page, cycle)
    city_forms_panel_and_starts_expert_review(page, cycle, demo)
    for number, (username, share) in enumerate(
        zip(city.experts, EXPERT_SHARES, strict=True), start=1
    ):
        expert_scores(page, cycle, username, share, step="4-sheet" if number == 1 else "")
    city_decides_pass(page, cycle)

    public_url = city_starts_publicity(page, cycle)
    code = public_lodges_objection(public, cycle, public_url)
    city_dismisses_objection(page, cycle)
    end_publicity_period(cycle)
    city_publishes_list(page, cycle)
    public_sees_published_list(public, cycle, public_url, code)

    city_recommends_to_province(page, cycle)
    province_sees_recommendation(page, cycle)
