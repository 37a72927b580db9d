"""评价机构黑名单 pages: every bureau decides for its own subtree (洛阳 第二十条, 济南 第十四条
（市、区县）, 大连 二); the evidence stays with the officials; lifting early is the deciding
authority's (or a superior's) recorded decision, only while the entry is in force."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from greenmfg.audit.models import AuditEntry
from tests.applications.helpers import pdf_upload
from thirdparty.models import BlacklistEntry
from thirdparty.selectors.agencies import blacklisting
from thirdparty.services.agencies import blacklist_add

from .helpers import batch_of, draft, name_agency, qualified_agency

pytestmark = pytest.mark.django_db
REASON = "经查实，该机构在评价过程中伪造企业能耗数据。"
DECISION = "经复核，原查处依据不足，决定提前解除。"


# --- arrangements (imported by the other blacklist test modules) --------------------------------


def evidence(name: str = "查处决定书.pdf"):
    return pdf_upload(name)


def png(name: str = "现场照片.png"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")


def add(actor, agency, *, starts_on=None, reason: str = REASON, upload=None):
    """An entry decided on ``starts_on``; one whose three years are over is history the service
    no longer records (it refuses such a date), so it is decided today and moved back."""
    over = starts_on is not None and starts_on <= years_ago(3)
    entry = blacklist_add(
        agency=agency,
        actor=actor,
        reason=reason,
        evidence=upload or evidence(),
        starts_on=None if over else starts_on,
    )
    if over:
        ends_on = starts_on.replace(year=starts_on.year + 3)
        BlacklistEntry.objects.filter(pk=entry.pk).update(starts_on=starts_on, ends_on=ends_on)
        entry.refresh_from_db()
    return entry


def years_ago(years: int, *, days: int = 0) -> datetime.date:
    """The day ``years`` years before today, plus ``days``; skips on 29 February."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years) + datetime.timedelta(days=days)
    except ValueError:
        pytest.skip("29 February has no counterpart three years back")


def engaged(agency, *, county: str = "luoyang", city: str = "luoyang", batch=None):
    """A draft in ``county`` that names ``agency`` (accepted), and its applicant."""
    application, applicant = draft(batch or batch_of(city), county=county)
    assert name_agency(application, applicant, agency) == []
    application.refresh_from_db()
    return application, applicant


def detail(entry) -> str:
    return reverse("thirdparty:blacklist-detail", args=[entry.pk])


def evidence_url(entry) -> str:
    return reverse("thirdparty:blacklist-evidence", args=[entry.pk])


# --- who sees the pages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["luoyang-enterprise", "luoyang-agency", "luoyang-expert", "luoyang-env"]
)
def test_the_blacklist_pages_are_for_bureaus_only(client, demo, who):
    entry = add(demo["luoyang-city"], qualified_agency())
    client.force_login(demo[who])

    assert client.get(reverse("thirdparty:blacklist-list")).status_code == 403
    assert client.get(reverse("thirdparty:blacklist-create")).status_code == 403
    assert client.get(detail(entry)).status_code == 403
    assert client.get(evidence_url(entry)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, demo):
    entry = add(demo["luoyang-city"], qualified_agency())

    for url in (
        reverse("thirdparty:blacklist-list"),
        detail(entry),
        evidence_url(entry),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_officials_see_their_subtrees_entries_and_those_binding_on_it(client, demo):
    agency = qualified_agency()
    by_county = add(demo["luoyang-county"], agency)
    other_agency = qualified_agency()
    by_city = add(demo["luoyang-city"], other_agency)
    by_jinan = add(demo["jinan-city"], qualified_agency(city_key="370100"))

    def listed(who):
        client.force_login(demo[who])
        response = client.get(reverse("thirdparty:blacklist-list"))
        assert response.status_code == 200
        return {entry.pk for entry in response.context["entries"]}

    assert listed("luoyang-county") == {by_county.pk, by_city.pk}
    assert listed("luoyang-county2") == {by_city.pk}  # not the neighbouring county's own
    assert listed("luoyang-city") == {by_county.pk, by_city.pk}
    assert listed("henan") == {by_county.pk, by_city.pk}
    assert listed("jinan-city") == {by_jinan.pk}
    assert listed("nation") == {by_county.pk, by_city.pk, by_jinan.pk}
    client.force_login(demo["luoyang-county2"])
    assert client.get(detail(by_county)).status_code == 404
    assert client.get(
        reverse("thirdparty:blacklist-evidence", args=[by_county.pk])
    ).status_code == (404)
    client.force_login(demo["jinan-city"])
    assert client.get(detail(by_city)).status_code == 404


# --- adding an entry ------------------------------------------------------------------------------


def test_the_agency_picker_offers_the_agencies_the_official_oversees(client, demo):
    working_here = qualified_agency()
    elsewhere = qualified_agency(city_key="370100")
    client.force_login(demo["luoyang-county"])

    choices = client.get(reverse("thirdparty:blacklist-create")).context["form"]
    assert working_here not in choices.fields["agency"].queryset  # registered in the city
    engaged(working_here)
    choices = client.get(reverse("thirdparty:blacklist-create")).context["form"]
    assert working_here in choices.fields["agency"].queryset  # evaluates in the county
    assert elsewhere not in choices.fields["agency"].queryset
    client.force_login(demo["luoyang-city"])
    choices = client.get(reverse("thirdparty:blacklist-create")).context["form"]
    assert working_here in choices.fields["agency"].queryset  # registered in the city
    response = client.post(
        reverse("thirdparty:blacklist-create"),
        {"agency": elsewhere.pk, "reason": REASON, "evidence": evidence()},
    )
    assert response.status_code == 400 and "agency" in response.context["form"].errors
    assert not BlacklistEntry.objects.exists()


def test_a_county_official_blacklists_for_the_county_with_three_years(client, demo):
    agency = qualified_agency()
    application, _applicant = engaged(agency)
    client.force_login(demo["luoyang-county"])

    response = client.post(
        reverse("thirdparty:blacklist-create"),
        {"agency": agency.pk, "reason": REASON, "evidence": evidence()},
    )

    entry = BlacklistEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(entry)
    today = timezone.localdate()
    assert entry.authority == demo["luoyang-county"].organisation
    assert entry.jurisdiction.key == "410311"
    assert (entry.starts_on, entry.ends_on) == (today, today.replace(year=today.year + 3))
    page = client.get(detail(entry)).content.decode()
    for shown in (
        agency.name,
        agency.credit_code,
        entry.authority.name,
        today.strftime("%Y-%m-%d"),
        entry.ends_on.strftime("%Y-%m-%d"),
        REASON,
        "查处决定书.pdf",
        "列入评价机构黑名单",  # the audit trail
        "有效期内",
        "提前解除",
    ):
        assert shown in page, shown
    assert client.get(detail(entry)).context["applications"].get() == application


def test_an_image_is_accepted_as_evidence(client, demo):
    agency = qualified_agency()
    client.force_login(demo["luoyang-city"])

    client.post(
        reverse("thirdparty:blacklist-create"),
        {"agency": agency.pk, "reason": REASON, "evidence": png()},
    )

    assert BlacklistEntry.objects.get().content_type == "image/png"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "伪造数据"}, "reason"),
        ({"evidence": None}, "evidence"),
        ({"evidence": SimpleUploadedFile("说明.pdf", b"plain text, not a pdf")}, "evidence"),
        ({"evidence": SimpleUploadedFile("空.pdf", b"")}, "evidence"),
        ({"starts_on": "2099-01-01"}, "starts_on"),
    ],
    ids=["short-reason", "no-evidence", "fake-pdf", "empty-file", "future-date"],
)
def test_errors_are_shown_by_field_and_nothing_typed_is_lost(client, demo, data, field):
    agency = qualified_agency()
    client.force_login(demo["luoyang-city"])
    typed = {"agency": agency.pk, "reason": REASON, "evidence": evidence(), **data}
    typed = {key: value for key, value in typed.items() if value is not None}

    response = client.post(reverse("thirdparty:blacklist-create"), typed)

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    html = response.content.decode()
    assert typed["reason"] in html  # the reason typed is still in the box
    assert f'<option value="{agency.pk}" selected>' in html
    assert not BlacklistEntry.objects.exists()


def test_an_agency_already_listed_above_is_refused_with_the_message(client, demo):
    agency = qualified_agency()
    engaged(agency)
    add(demo["luoyang-city"], agency)
    client.force_login(demo["luoyang-county"])

    response = client.post(
        reverse("thirdparty:blacklist-create"),
        {"agency": agency.pk, "reason": REASON, "evidence": evidence()},
    )

    assert response.status_code == 400
    assert "已在本辖区的黑名单中" in response.content.decode()
    assert BlacklistEntry.objects.count() == 1


def test_an_administrator_without_a_bureau_reads_but_does_not_decide(client, demo):
    entry = add(demo["luoyang-city"], qualified_agency())
    client.force_login(demo["admin"])

    assert client.get(detail(entry)).status_code == 200
    listing = client.get(reverse("thirdparty:blacklist-list"))
    assert listing.status_code == 200 and not listing.context["can_add"]
    assert client.get(reverse("thirdparty:blacklist-create")).status_code == 403


# --- the evidence ---------------------------------------------------------------------------------


def test_the_evidence_is_served_as_a_private_attachment_to_officials_in_scope(client, demo):
    entry = add(demo["luoyang-county"], qualified_agency())

    for who in ("luoyang-county", "luoyang-city", "henan"):
        client.force_login(demo[who])
        response = client.get(evidence_url(entry))
        assert response.status_code == 200, who
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for who in ("jinan-city", "luoyang-county2"):
        client.force_login(demo[who])
        assert client.get(evidence_url(entry)).status_code == (404)


# --- lifting early ----------------------------------------------------------------------------


def lift(client, entry, decision=DECISION):
    return client.post(
        reverse("thirdparty:blacklist-lift", args=[entry.pk]), {"decision": decision}
    )


def test_the_deciding_authority_lifts_early_with_a_recorded_decision(client, demo):
    entry = add(demo["luoyang-county"], qualified_agency())
    client.force_login(demo["luoyang-county"])

    response = lift(client, entry)

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.lifted_on == timezone.localdate() and entry.lift_reason == DECISION
    assert entry.lifted_by == demo["luoyang-county"]
    assert AuditEntry.objects.filter(object_id=str(entry.pk), action="lift").exists()
    page = client.get(detail(entry))
    assert page.context["lift_form"] is None and "已提前解除" in page.content.decode()
    assert DECISION in page.content.decode()
    assert blacklisting(agency_id=entry.agency_id, jurisdiction=entry.jurisdiction) is None


def test_a_superior_may_lift_a_county_entry(client, demo):
    entry = add(demo["luoyang-county"], qualified_agency())
    client.force_login(demo["luoyang-city"])

    assert lift(client, entry).status_code == 302
    entry.refresh_from_db()
    assert entry.lifted_by == demo["luoyang-city"]


def test_a_county_may_not_lift_its_citys_entry(client, demo):
    entry = add(demo["luoyang-city"], qualified_agency())
    client.force_login(demo["luoyang-county"])

    page = client.get(detail(entry))
    assert page.status_code == 200 and page.context["lift_form"] is None
    assert lift(client, entry).status_code == 403
    entry.refresh_from_db()
    assert entry.lifted_on is None


def test_another_subtree_cannot_even_find_the_entry(client, demo):
    entry = add(demo["luoyang-county"], qualified_agency())
    client.force_login(demo["luoyang-county2"])

    assert lift(client, entry).status_code == 404
    entry.refresh_from_db()
    assert entry.lifted_on is None


@pytest.mark.parametrize("decision", ["", "解除"])
def test_lifting_needs_a_written_decision(client, demo, decision):
    entry = add(demo["luoyang-city"], qualified_agency())
    client.force_login(demo["luoyang-city"])

    response = lift(client, entry, decision)

    assert response.status_code == 400
    assert "decision" in response.context["lift_form"].errors
    entry.refresh_from_db()
    assert entry.lifted_on is None


def test_only_an_entry_in_force_is_lifted(client, demo):
    expired = add(demo["luoyang-city"], qualified_agency(), starts_on=years_ago(3, days=-1))
    lifted = add(demo["luoyang-city"], qualified_agency())
    client.force_login(demo["luoyang-city"])
    assert lift(client, lifted).status_code == 302

    for entry in (expired, lifted):
        page = client.get(detail(entry))
        assert page.context["lift_form"] is None
        response = lift(client, entry, "再次解除的决定说明文字，理由充分。")
        assert response.status_code == 302
        assert "不在有效期内" in client.get(detail(entry)).content.decode()
    expired.refresh_from_db()
    assert expired.lifted_on is None


# --- three years ----------------------------------------------------------------------------------


def test_an_entry_is_in_force_up_to_the_day_before_its_end(client, demo):
    """thirdparty.selectors.agencies.in_force: starts_on <= day < ends_on."""
    agency = qualified_agency()
    city = demo["luoyang-city"]
    last_day = add(city, agency, starts_on=years_ago(3, days=1))
    today = timezone.localdate()
    assert last_day.ends_on == today + datetime.timedelta(days=1)
    assert blacklisting(agency_id=agency.pk, jurisdiction=last_day.jurisdiction) == last_day

    other = qualified_agency()
    ended = add(city, other, starts_on=years_ago(3))
    assert ended.ends_on == today
    assert blacklisting(agency_id=other.pk, jurisdiction=ended.jurisdiction) is None
    yesterday = today - datetime.timedelta(days=1)
    assert blacklisting(agency_id=other.pk, jurisdiction=ended.jurisdiction, on=yesterday) == ended

    client.force_login(city)
    url = reverse("thirdparty:blacklist-list")
    assert [e.pk for e in client.get(url, {"state": "in_force"}).context["entries"]] == [
        last_day.pk
    ]
    assert [e.pk for e in client.get(url, {"state": "expired"}).context["entries"]] == [ended.pk]
    assert "已到期" in client.get(detail(ended)).content.decode()
    # Once the three years are up, the agency may be listed again.
    again = add(city, other)
    assert blacklisting(agency_id=other.pk, jurisdiction=again.jurisdiction) == again


def test_a_decision_date_whose_three_years_are_over_is_refused(client, demo):
    client.force_login(demo["luoyang-city"])
    response = client.post(
        reverse("thirdparty:blacklist-create"),
        {
            "agency": qualified_agency().pk,
            "reason": REASON,
            "evidence": evidence(),
            "starts_on": years_ago(3).isoformat(),
        },
    )

    assert response.status_code == 400 and "starts_on" in response.context["form"].errors


# --- the list: filters, export, queries -----------------------------------------------------------


def test_the_list_filters_by_state_and_agency_and_exports(client, demo):
    city = demo["luoyang-city"]
    in_force = add(city, qualified_agency())
    lifted = add(city, qualified_agency())
    client.force_login(city)
    lift(client, lifted)
    url = reverse("thirdparty:blacklist-list")

    assert [e.pk for e in client.get(url, {"state": "lifted"}).context["entries"]] == [lifted.pk]
    assert [e.pk for e in client.get(url, {"state": "in_force"}).context["entries"]] == [
        in_force.pk
    ]
    by_name = client.get(url, {"q": in_force.agency.name}).context["entries"]
    assert [e.pk for e in by_name] == [in_force.pk]
    by_code = client.get(url, {"q": lifted.agency.credit_code.lower()}).context["entries"]
    assert [e.pk for e in by_code] == [lifted.pk]
    ordered = client.get(url, {"ordering": "agency"}).context["entries"]
    assert [e.agency.name for e in ordered] == sorted([in_force.agency.name, lifted.agency.name])

    export = client.get(url, {"state": "in_force", "export": "xlsx"})
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[0][0] == "评价机构" and len(rows) == 2
    assert rows[1][0] == in_force.agency.name and rows[1][6] == "有效期内"


def test_the_list_page_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    city = demo["luoyang-city"]

    def listed(count):
        for _ in range(count):
            add(city, qualified_agency())

    listed(5)
    client.force_login(city)
    url = reverse("thirdparty:blacklist-list")
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    listed(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["entries"]) == 25


# --- the public page ------------------------------------------------------------------------------


def test_the_public_page_lists_entries_without_the_evidence_or_who_typed_them(client, demo):
    city = demo["luoyang-city"]
    city.full_name = "录入员王某某"
    city.save(update_fields=["full_name"])
    in_force = add(city, qualified_agency(), upload=evidence("内部调查笔录.pdf"))
    lifted = add(city, qualified_agency(), reason="经查实，该机构隐瞒企业环保处罚记录。")
    expired = add(city, qualified_agency(), starts_on=years_ago(3, days=-10))
    client.force_login(city)
    lift(client, lifted, "经复核，决定提前解除（内部讨论纪要）。")
    client.logout()

    response = client.get("/gongshi/agency-blacklist/")

    assert response.status_code == 200
    html = response.content.decode()
    for entry in (in_force, lifted, expired):
        assert entry.agency.name in html and entry.agency.credit_code in html
    for shown in ("洛阳市工业和信息化局", REASON, "有效期内", "已提前解除", "已到期"):
        assert shown in html, shown
    in_force.refresh_from_db()
    for hidden in (
        "内部调查笔录.pdf",
        in_force.sha256,
        "录入员王某某",
        "内部讨论纪要",
        "/evidence/",
        "/agency-blacklist/",  # no link to the officials' pages
    ):
        assert hidden not in html.replace("/gongshi/agency-blacklist/", ""), hidden
    in_force_only = client.get("/gongshi/agency-blacklist/", {"state": "in_force"})
    assert [e.pk for e in in_force_only.context["page_obj"]] == [in_force.pk]


def test_the_public_page_is_linked_from_the_announcements_and_paginated(
    client, demo, django_assert_max_num_queries
):
    assert 'href="/gongshi/agency-blacklist/"' in client.get("/gongshi/").content.decode()
    city = demo["luoyang-city"]
    for _ in range(5):
        add(city, qualified_agency())
    with django_assert_max_num_queries(10) as small:
        assert client.get("/gongshi/agency-blacklist/").status_code == 200
    for _ in range(45):
        add(city, qualified_agency())
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/gongshi/agency-blacklist/")
    assert len(response.context["page_obj"]) == 20
    assert response.context["paginator"].count == 50
    assert len(client.get("/gongshi/agency-blacklist/", {"page": 3}).context["page_obj"]) == 10
