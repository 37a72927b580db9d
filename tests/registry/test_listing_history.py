"""名单变动: officials whose subtree holds a unit record its name change, a boundary or scope
change and a re-review; every record is audited and announced; nobody else may record one."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from registry.models import Announcement, Listing, ListingEvent, RemovalProposal
from registry.services.history import (
    listing_record_change,
    listing_record_name_change,
    listing_record_re_review,
)
from tests.factories import BatchFactory

from .test_public_lists import bureau, jinan_listing, make_listing

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 9, 1)


def rename(listing, actor, name="洛阳新名称装备有限公司", **kwargs):
    return listing_record_name_change(
        listing=listing, actor=actor, new_name=name, occurred_on=DAY, **kwargs
    )


# --- the commands --------------------------------------------------------------------------------


def test_a_name_change_renames_the_listing_and_keeps_the_former_name(client, demo):
    listing = make_listing(name="洛阳旧名称装备有限公司")
    organisation_name = listing.organisation.name

    event = rename(
        listing, demo["luoyang-county"], document_number="洛龙市监〔2025〕3号", reason="工商变更"
    )

    listing.refresh_from_db()
    assert listing.unit_name == "洛阳新名称装备有限公司"
    assert listing.organisation.name == organisation_name  # the directory's own business
    assert (event.kind, event.old_value, event.new_value) == (
        "name_change",
        "洛阳旧名称装备有限公司",
        "洛阳新名称装备有限公司",
    )
    assert event.created_by == demo["luoyang-county"]
    entry = AuditEntry.objects.get(object_id=str(listing.pk), action="name_change")
    assert entry.data["old_value"] == "洛阳旧名称装备有限公司" and entry.comment == "工商变更"
    assert Announcement.objects.filter(
        kind="change", subject_type="registry.listingevent", subject_id=event.pk
    ).exists()
    html = client.get(f"/mingdan/units/{listing.organisation_id}/").content.decode()
    assert "洛阳新名称装备有限公司" in html and "洛阳旧名称装备有限公司" in html
    assert client.get("/mingdan/", {"q": "新名称"}).context["listings"][0] == listing


def test_a_name_change_must_change_the_name(demo):
    listing = make_listing(name="同名企业有限公司")

    with pytest.raises(ValidationError) as refused:
        rename(listing, demo["luoyang-city"], name=" 同名企业有限公司 ")
    assert "相同" in str(refused.value)
    with pytest.raises(ValidationError):
        rename(listing, demo["luoyang-city"], name="   ")


@pytest.mark.parametrize("kind", ["boundary_change", "scope_change"])
def test_a_boundary_or_scope_change_is_recorded(demo, kind):
    listing = make_listing()

    event = listing_record_change(
        listing=listing,
        actor=demo["luoyang-city"],
        kind=kind,
        old_value="厂区一期",
        new_value="厂区一期、二期",
        occurred_on=DAY,
        reason="新建二期厂房纳入评价边界",
    )

    assert (event.kind, event.new_value) == (kind, "厂区一期、二期")
    assert AuditEntry.objects.filter(object_id=str(listing.pk), action=kind).exists()
    with pytest.raises(ValidationError):
        listing_record_change(
            listing=listing,
            actor=demo["luoyang-city"],
            kind="removed",
            new_value="x",
            occurred_on=DAY,
        )


def test_a_jinan_re_review_puts_the_unit_under_review_and_extends_the_term(demo):
    batch = BatchFactory(authority=bureau("370100"), policy="jinan-2024")
    listing = jinan_listing(listed_on=datetime.date(2024, 1, 15))
    Listing.objects.filter(pk=listing.pk).update(batch=batch)
    listing.refresh_from_db()
    official = demo["jinan-city"]

    listing_record_re_review(listing=listing, actor=official, outcome="started", occurred_on=DAY)
    listing.refresh_from_db()
    assert listing.status == "under_review"
    with pytest.raises(DomainError):
        listing_record_re_review(
            listing=listing, actor=official, outcome="started", occurred_on=DAY
        )

    event = listing_record_re_review(
        listing=listing,
        actor=official,
        outcome="passed",
        occurred_on=DAY,
        document_number="济复〔2025〕1号",
    )

    listing.refresh_from_db()
    assert listing.status == "active"
    assert listing.valid_until == datetime.date(2030, 1, 15)  # one more three-year cycle
    assert (event.kind, event.old_value, event.new_value) == (
        "extended",
        "2027-01-15",
        "2030-01-15",
    )
    entries = AuditEntry.objects.filter(object_id=str(listing.pk), content_type__model="listing")
    assert [e.data.get("outcome") for e in entries.order_by("at", "id")] == ["started", "passed"]


def test_a_re_review_of_a_list_without_term_keeps_it_without_term(demo):
    listing = make_listing()

    event = listing_record_re_review(
        listing=listing, actor=demo["luoyang-city"], outcome="passed", occurred_on=DAY
    )

    listing.refresh_from_db()
    assert listing.valid_until is None and listing.status == "active"
    assert (event.kind, event.new_value) == ("re_review", "复审通过")


def test_a_failed_re_review_needs_a_reason_and_leaves_removal_to_dynamic_management(demo):
    listing = make_listing()
    official = demo["luoyang-city"]

    with pytest.raises(ValidationError):
        listing_record_re_review(listing=listing, actor=official, outcome="failed", occurred_on=DAY)
    listing_record_re_review(
        listing=listing, actor=official, outcome="failed", occurred_on=DAY, reason="能耗指标不达标"
    )

    listing.refresh_from_db()
    assert listing.status == "under_review" and listing.removed_on is None
    assert not RemovalProposal.objects.filter(listing=listing).exists()


def test_dates_must_lie_between_the_listing_and_today(demo):
    listing = make_listing(listed_on=datetime.date(2025, 6, 30))
    official = demo["luoyang-city"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    for day in (tomorrow, datetime.date(2025, 6, 29)):
        with pytest.raises(ValidationError):
            listing_record_name_change(
                listing=listing, actor=official, new_name="新名称有限公司", occurred_on=day
            )
    assert not ListingEvent.objects.filter(listing=listing, kind="name_change").exists()


def test_a_removed_unit_takes_no_more_changes(demo):
    listing = make_listing(status=Listing.Status.REMOVED)

    with pytest.raises(DomainError) as refused:
        rename(listing, demo["luoyang-city"])
    assert "已移出" in refused.value.message


@pytest.mark.parametrize(
    "who",
    ["jinan-city", "luoyang-county2", "luoyang-enterprise", "luoyang-expert", "luoyang-agency"],
)
def test_only_officials_whose_subtree_holds_the_unit_record_changes(demo, who):
    listing = make_listing(county="410311", name="洛龙区名单企业有限公司")

    with pytest.raises(NotPermitted):
        rename(listing, demo[who])
    with pytest.raises(NotPermitted):
        listing_record_re_review(
            listing=listing, actor=demo[who], outcome="started", occurred_on=DAY
        )

    listing.refresh_from_db()
    assert listing.unit_name == "洛龙区名单企业有限公司"
    assert listing.status == "active"


@pytest.mark.parametrize("who", ["luoyang-county", "luoyang-city", "henan", "admin"])
def test_the_county_and_those_above_it_may(demo, who):
    listing = make_listing(county="410311")

    rename(listing, demo[who], name=f"{who}改名企业有限公司")

    listing.refresh_from_db()
    assert listing.unit_name == f"{who}改名企业有限公司"


# --- the officials' pages ------------------------------------------------------------------------

LIST = "/registry/listings/"


def manage(pk):
    return f"{LIST}{pk}/"


def test_officials_list_the_units_of_their_subtree(client, demo):
    mine = make_listing(name="洛阳辖区企业有限公司")
    jinan_listing(name="济南辖区企业有限公司")

    client.force_login(demo["luoyang-city"])
    response = client.get(LIST)

    assert response.status_code == 200
    assert [x.unit_name for x in response.context["listings"]] == ["洛阳辖区企业有限公司"]
    assert f'href="{manage(mine.pk)}"' in response.content.decode()
    assert 'href="/registry/listings/"' in response.content.decode()  # 名单管理 in the menu
    client.force_login(demo["jinan-county"])
    assert [x.unit_name for x in client.get(LIST).context["listings"]] == ["济南辖区企业有限公司"]


def test_the_officials_list_downloads_as_excel(client, demo):
    make_listing(name="导出企业有限公司")
    client.force_login(demo["luoyang-city"])

    response = client.get(LIST, {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("who", ["luoyang-enterprise", "luoyang-expert", "luoyang-agency"])
def test_others_may_not_open_the_officials_pages(client, demo, who):
    listing = make_listing()
    client.force_login(demo[who])

    assert client.get(LIST).status_code == 403
    assert client.get(manage(listing.pk)).status_code == 403
    response = client.post(manage(listing.pk), {"form": "name", "name-new_name": "改名有限公司"})
    assert response.status_code == 403
    listing.refresh_from_db()
    assert listing.unit_name != "改名有限公司"


def test_anonymous_visitors_are_sent_to_log_in(client, demo):
    assert client.get(LIST).status_code == 302


def test_an_official_outside_the_subtree_does_not_find_the_unit(client, demo):
    listing = make_listing(county="410311")
    client.force_login(demo["luoyang-county2"])

    assert client.get(manage(listing.pk)).status_code == 404
    response = client.post(manage(listing.pk), {"form": "name", "name-new_name": "改名有限公司"})
    assert response.status_code == 404


def test_the_listing_page_records_a_name_change(client, demo):
    listing = make_listing(name="页面旧名有限公司")
    RemovalProposal.objects.create(
        listing=listing, source="complaint", reason="举报核实：存在环境违法行为"
    )
    client.force_login(demo["luoyang-county"])

    page = client.get(manage(listing.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "举报核实：存在环境违法行为" in html and "待决定的移出建议" in html
    assert 'name="name-new_name"' in html and 'name="review-outcome"' in html

    response = client.post(
        manage(listing.pk),
        {
            "form": "name",
            "name-new_name": "页面新名有限公司",
            "name-occurred_on": DAY.isoformat(),
            "name-document_number": "洛龙市监〔2025〕9号",
        },
    )

    assert response.status_code == 302 and response["Location"] == manage(listing.pk)
    listing.refresh_from_db()
    assert listing.unit_name == "页面新名有限公司"
    html = client.get(manage(listing.pk)).content.decode()
    assert "页面旧名有限公司" in html and "洛龙市监〔2025〕9号" in html


def test_the_listing_page_shows_refusals_on_the_form(client, demo):
    listing = make_listing(name="重复名称有限公司")
    client.force_login(demo["luoyang-city"])

    response = client.post(
        manage(listing.pk),
        {"form": "name", "name-new_name": "重复名称有限公司", "name-occurred_on": DAY.isoformat()},
    )

    assert response.status_code == 400
    assert "相同" in response.content.decode()
    response = client.post(
        manage(listing.pk),
        {
            "form": "review",
            "review-outcome": "failed",
            "review-occurred_on": DAY.isoformat(),
        },
    )
    assert response.status_code == 400 and "复审未通过时请说明理由" in response.content.decode()


def test_the_listing_page_records_a_scope_change_and_a_re_review(client, demo):
    listing = make_listing()
    client.force_login(demo["luoyang-city"])

    client.post(
        manage(listing.pk),
        {
            "form": "change",
            "change-kind": "scope_change",
            "change-new_value": "新增年产5万台电机生产线",
            "change-occurred_on": DAY.isoformat(),
        },
    )
    client.post(
        manage(listing.pk),
        {"form": "review", "review-outcome": "started", "review-occurred_on": DAY.isoformat()},
    )

    kinds = list(listing.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["listed", "scope_change", "re_review"]
    listing.refresh_from_db()
    assert listing.status == "under_review"


def test_a_removed_listing_offers_no_forms(client, demo):
    listing = make_listing(status=Listing.Status.REMOVED)
    client.force_login(demo["luoyang-city"])

    html = client.get(manage(listing.pk)).content.decode()

    assert 'name="name-new_name"' not in html


def test_the_officials_pages_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    for _ in range(5):
        make_listing()
    client.force_login(demo["luoyang-city"])
    with django_assert_max_num_queries(15) as few:
        assert len(client.get(LIST).context["listings"]) == 5

    for _ in range(45):
        make_listing(county="410307")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(LIST).context["listings"]) == 25
