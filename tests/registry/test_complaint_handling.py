"""举报 handling: the county of the unit (or the city where filed there; the bureau of the
agency's jurisdiction) or a bureau above it verifies and closes the complaint with an outcome
(洛阳 第二十一条: 整改、移出名单，第三方机构按第二十条处理; 济南 第二十一条). Every step is
audited; the complainant's identity and the evidence stay with the officials who handle it."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from greenmfg.audit.models import AuditEntry
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.errors import DomainError, NotPermitted
from registry.models import Complaint, ComplaintEvidence, Listing, RemovalProposal
from registry.services import complaint as services
from tests.applications.helpers import pdf_upload
from thirdparty.models import BlacklistEntry

from .test_complaint_filing import (  # noqa: F401 - the autouse fixture clears the rate limits
    MATTER,
    _fresh_rate_limits,
    demo_agency,
    file_complaint,
    listed_unit,
)

pytestmark = pytest.mark.django_db
NOTE = "经现场核实，企业能耗台账与申报数据存在明显差异，情况属实。"
IDENTITY = ("王举报", "410302198001011234", "13800001234", "wang@example.cn")


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def verifying(complaint, actor):
    return services.complaint_verify(complaint=complaint, actor=actor)


def close(complaint, actor, outcome="unfounded", note=NOTE, deadline=None):
    return services.complaint_close(
        complaint=complaint,
        actor=actor,
        outcome=outcome,
        note=note,
        rectification_deadline=deadline,
    )


def detail(complaint) -> str:
    return f"/complaints/{complaint.pk}/"


# --- transitions -------------------------------------------------------------------------------


def test_the_county_verifies_and_closes_a_complaint_about_its_unit(demo):
    county = demo["luoyang-county"]
    complaint = file_complaint(listed_unit())

    complaint = verifying(complaint, county)
    assert complaint.status == Complaint.Status.VERIFYING
    complaint = close(complaint, county)

    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
    assert (complaint.outcome, complaint.outcome_note) == ("unfounded", NOTE)
    assert complaint.handled_by == county and complaint.closed_at is not None


def test_a_bureau_above_may_handle_it_too(demo):
    complaint = file_complaint(listed_unit())

    verifying(complaint, demo["luoyang-city"])
    close(complaint, demo["henan"])

    assert Complaint.objects.get().status == Complaint.Status.CLOSED


@pytest.mark.parametrize(
    "username", ["luoyang-county2", "jinan-county", "jinan-city", "luoyang-enterprise", "admin"]
)
def test_others_may_not_handle_it(demo, username):
    complaint = file_complaint(listed_unit())

    with pytest.raises(NotPermitted):
        verifying(complaint, demo[username])

    assert Complaint.objects.get().status == Complaint.Status.RECEIVED


def test_a_complaint_filed_with_the_city_is_not_the_countys(demo, client):
    complaint = file_complaint(listed_unit(), channel="city")

    with pytest.raises(NotPermitted):
        verifying(complaint, demo["luoyang-county"])
    client.force_login(demo["luoyang-county"])
    assert client.get(detail(complaint)).status_code == 404
    verifying(complaint, demo["luoyang-city"])


def test_an_agency_complaint_is_handled_by_the_bureau_of_the_agencys_jurisdiction(demo):
    complaint = file_complaint(agency=demo_agency(demo))

    with pytest.raises(NotPermitted):
        verifying(complaint, demo["luoyang-county"])
    verifying(complaint, demo["luoyang-city"])


def test_steps_follow_the_workflow(demo):
    county = demo["luoyang-county"]
    complaint = file_complaint(listed_unit())

    with pytest.raises(DomainError, match="不能执行「办结」"):
        close(complaint, county)
    verifying(complaint, county)
    with pytest.raises(DomainError, match="不能执行「开始核实」"):
        verifying(complaint, county)
    close(complaint, county)
    with pytest.raises(DomainError, match="不能执行「办结」"):
        close(complaint, county)


def test_an_outcome_note_is_required(demo):
    county = demo["luoyang-county"]
    complaint = verifying(file_complaint(listed_unit()), county)

    with pytest.raises(ValidationError) as refused:
        close(complaint, county, note="  ")

    assert "outcome_note" in refused.value.message_dict
    assert Complaint.objects.get().status == Complaint.Status.VERIFYING


@pytest.mark.parametrize("deadline", [None, 0, -5])
def test_rectification_needs_a_deadline_in_the_future(demo, deadline):
    county = demo["luoyang-county"]
    complaint = verifying(file_complaint(listed_unit()), county)

    with pytest.raises(ValidationError) as refused:
        close(
            complaint,
            county,
            outcome="rectification",
            deadline=None if deadline is None else in_days(deadline),
        )

    assert "rectification_deadline" in refused.value.message_dict


def test_rectification_with_a_deadline(demo):
    county = demo["luoyang-county"]
    complaint = verifying(file_complaint(listed_unit()), county)

    close(complaint, county, outcome="rectification", deadline=in_days(30))

    complaint.refresh_from_db()
    assert complaint.outcome == "rectification"
    assert complaint.rectification_deadline == in_days(30)


def test_outcomes_fit_the_subject(demo):
    county, city = demo["luoyang-county"], demo["luoyang-city"]
    about_unit = verifying(file_complaint(listed_unit()), county)
    about_agency = verifying(file_complaint(agency=demo_agency(demo)), city)

    with pytest.raises(ValidationError, match="仅适用于对第三方评价机构的举报"):
        close(about_unit, county, outcome="blacklist_proposed")
    with pytest.raises(ValidationError, match="仅适用于对名单单位的举报"):
        close(about_agency, city, outcome="removal_proposed")


# --- outcomes ----------------------------------------------------------------------------------


def test_removal_proposed_raises_one_removal_proposal(demo):
    county = demo["luoyang-county"]
    listing = listed_unit()
    complaint = verifying(file_complaint(listing), county)

    close(complaint, county, outcome="removal_proposed")
    with pytest.raises(DomainError):
        close(complaint, county, outcome="removal_proposed")

    proposal = RemovalProposal.objects.get()
    assert (proposal.listing, proposal.complaint_id) == (listing, complaint.pk)
    assert (proposal.source, proposal.status) == ("complaint", "open")
    assert proposal.reason == NOTE and proposal.created_by == county
    assert audit_entries_for(subject=proposal).get().action == "propose"
    # The list stays as it is: the dynamic management decides.
    assert Listing.objects.get().status == Listing.Status.ACTIVE
    # The bureau that published the list is told.
    assert demo["luoyang-city"].notifications.filter(subject__contains="移出名单建议").exists()


def test_the_removal_proposal_is_shown_on_the_complaint(client, demo):
    county = demo["luoyang-county"]
    complaint = close(verifying(file_complaint(listed_unit()), county), county, "removal_proposed")
    client.force_login(county)

    html = client.get(detail(complaint)).content.decode()

    assert "移出名单建议" in html and "待决定" in html


def blacklist_proposed(demo):
    city = demo["luoyang-city"]
    complaint = verifying(file_complaint(agency=demo_agency(demo)), city)
    return close(complaint, city, outcome="blacklist_proposed")


def test_blacklisting_is_the_bureaus_own_act_opened_from_the_complaint(client, demo):
    city = demo["luoyang-city"]
    complaint = blacklist_proposed(demo)
    client.force_login(city)

    page = client.get(detail(complaint)).content.decode()
    url = f"/agency-blacklist/new/?complaint={complaint.pk}"
    assert f'href="{url}"' in page
    assert BlacklistEntry.objects.count() == 0

    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["agency"] == complaint.agency_id
    assert NOTE in form.context["form"].initial["reason"]
    assert "王举报" not in form.content.decode()

    response = client.post(
        url,
        {
            "agency": complaint.agency_id,
            "reason": form.context["form"].initial["reason"],
            "evidence": pdf_upload("查处决定书.pdf"),
        },
    )

    entry = BlacklistEntry.objects.get()
    assert response.status_code == 302
    linked = audit_entries_for(subject=complaint).get(action="blacklist_linked")
    assert linked.data["blacklist_entry"] == entry.pk
    page = client.get(detail(complaint)).content.decode()
    assert f'href="/agency-blacklist/{entry.pk}/"' in page
    assert f'href="{url}"' not in page


def test_the_blacklist_form_ignores_a_complaint_the_official_does_not_handle(client, demo):
    complaint = blacklist_proposed(demo)
    client.force_login(demo["jinan-city"])

    form = client.get(f"/agency-blacklist/new/?complaint={complaint.pk}")

    assert form.status_code == 200
    assert "reason" not in form.context["form"].initial


def test_the_blacklist_form_ignores_a_complaint_with_another_outcome(client, demo):
    city = demo["luoyang-city"]
    complaint = close(verifying(file_complaint(agency=demo_agency(demo)), city), city)
    client.force_login(city)

    form = client.get(f"/agency-blacklist/new/?complaint={complaint.pk}")

    assert form.context["form"].initial == {}


def test_a_blacklist_entry_of_another_agency_is_not_linked(client, demo):
    city = demo["luoyang-city"]
    complaint = blacklist_proposed(demo)
    other = demo_agency(demo, "jinan")
    entry = BlacklistEntry.objects.create(
        agency=other,
        authority=city.organisation,
        jurisdiction=city.organisation.jurisdiction,
        reason="另案查处的弄虚作假问题。",
        starts_on=timezone.localdate(),
        ends_on=in_days(3 * 365),
        size=0,
        created_by=city,
    )

    assert (
        services.blacklist_link_from_complaint(
            complaint_id=str(complaint.pk), entry=entry, actor=city
        )
        is None
    )
    with pytest.raises(DomainError, match="不一致"):
        services.complaint_link_blacklist(complaint=complaint, entry=entry, actor=city)


# --- identity and evidence ---------------------------------------------------------------------


def test_the_handling_officials_see_the_complainant_and_the_evidence(client, demo):
    complaint = file_complaint(listed_unit())
    evidence = ComplaintEvidence.objects.get()
    for username in ("luoyang-county", "luoyang-city", "henan"):
        client.force_login(demo[username])
        html = client.get(detail(complaint)).content.decode()
        assert all(value in html for value in IDENTITY), username
        assert f'href="/complaints/evidence/{evidence.pk}/"' in html
        download = client.get(f"/complaints/evidence/{evidence.pk}/")
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_an_administrator_sees_the_complaint_but_not_who_filed_it(client, demo):
    complaint = file_complaint(listed_unit())
    evidence = ComplaintEvidence.objects.get()
    client.force_login(demo["admin"])

    page = client.get(detail(complaint))

    assert page.status_code == 200 and MATTER in page.content.decode()
    assert not any(value in page.content.decode() for value in IDENTITY)
    assert client.get(f"/complaints/evidence/{evidence.pk}/").status_code == 403


def test_another_countys_official_sees_neither_the_complaint_nor_its_evidence(client, demo):
    complaint = file_complaint(listed_unit())
    evidence = ComplaintEvidence.objects.get()
    client.force_login(demo["luoyang-county2"])

    assert client.get(detail(complaint)).status_code == 404
    assert client.get(f"/complaints/evidence/{evidence.pk}/").status_code == 403
    assert complaint.tracking_code not in client.get("/complaints/").content.decode()


def test_the_listed_units_own_users_are_refused(client, demo):
    listing = listed_unit()
    complaint = file_complaint(listing)
    evidence = ComplaintEvidence.objects.get()
    client.force_login(listing.organisation.users.get())

    assert client.get(detail(complaint)).status_code == 403
    assert client.get("/complaints/").status_code == 403
    assert client.get(f"/complaints/evidence/{evidence.pk}/").status_code == 403


def test_the_public_is_sent_to_sign_in(client, demo):
    complaint = file_complaint(listed_unit())
    evidence = ComplaintEvidence.objects.get()

    for url in (detail(complaint), "/complaints/", f"/complaints/evidence/{evidence.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the pages and the audit -------------------------------------------------------------------


def test_the_pages_verify_and_close(client, demo):
    county = demo["luoyang-county"]
    complaint = file_complaint(listed_unit())
    client.force_login(county)

    assert "开始核实" in client.get(detail(complaint)).content.decode()
    response = client.post(f"/complaints/{complaint.pk}/verify/", {"comment": "转交执法科"})
    assert response.status_code == 302
    missing = client.post(
        f"/complaints/{complaint.pk}/close/", {"outcome": "rectification", "outcome_note": NOTE}
    )
    assert missing.status_code == 400 and "整改期限" in missing.content.decode()
    response = client.post(
        f"/complaints/{complaint.pk}/close/",
        {
            "outcome": "rectification",
            "outcome_note": NOTE,
            "rectification_deadline": in_days(20).isoformat(),
        },
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == ("closed", "rectification")


def test_the_close_form_offers_only_the_outcomes_of_the_subject(client, demo):
    county = demo["luoyang-county"]
    complaint = verifying(file_complaint(listed_unit()), county)
    client.force_login(county)

    html = client.get(detail(complaint)).content.decode()

    assert 'value="removal_proposed"' in html and 'value="blacklist_proposed"' not in html


def test_the_pages_refuse_officials_outside_the_handling_bureau(client, demo):
    complaint = file_complaint(listed_unit())
    client.force_login(demo["admin"])

    html = client.get(detail(complaint)).content.decode()
    assert f"complaints/{complaint.pk}/verify/" not in html
    response = client.post(f"/complaints/{complaint.pk}/verify/")

    assert response.status_code == 302
    assert Complaint.objects.get().status == Complaint.Status.RECEIVED


def test_every_step_is_audited_without_the_identity(demo):
    county = demo["luoyang-county"]
    complaint = file_complaint(listed_unit())
    verifying(complaint, county)
    close(complaint, county, outcome="rectification", deadline=in_days(10))

    entries = list(audit_entries_for(subject=complaint).order_by("at", "id"))

    assert [e.action for e in entries] == ["file", "verify", "close"]
    assert [(e.from_state, e.to_state) for e in entries] == [
        ("", "received"),
        ("received", "verifying"),
        ("verifying", "closed"),
    ]
    assert entries[0].actor is None and entries[1].actor == county
    assert entries[2].data["outcome"] == "rectification"
    assert entries[2].comment == NOTE
    trail = " ".join(f"{e.object_repr} {e.comment} {e.data}" for e in entries)
    assert not any(value in trail for value in IDENTITY)
    assert AuditEntry.objects.filter(action="file").count() == 1


# --- the officials' list -----------------------------------------------------------------------


def test_the_list_filters_and_exports_without_identity(client, demo):
    county = demo["luoyang-county"]
    open_one = file_complaint(listed_unit())
    closed_one = close(verifying(file_complaint(listed_unit()), county), county)
    file_complaint(listed_unit(county_key="410307"))
    client.force_login(county)

    everything = client.get("/complaints/").content.decode()
    closed = client.get("/complaints/", {"status": "closed"}).content.decode()
    export = client.get("/complaints/", {"outcome": "unfounded", "export": "xlsx"})

    assert open_one.tracking_code in everything and closed_one.tracking_code in everything
    assert everything.count('href="/complaints/') >= 2
    assert closed_one.tracking_code in closed and open_one.tracking_code not in closed
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    codes = [row[0] for row in rows]
    assert closed_one.tracking_code in codes and open_one.tracking_code not in codes
    assert not any(value in str(rows) for value in IDENTITY)


def make_complaints(listing, count: int) -> None:
    Complaint.objects.bulk_create(
        Complaint(
            tracking_code=f"T{listing.pk:03d}{n:06d}",
            subject="listing",
            listing=listing,
            handling_jurisdiction=listing.jurisdiction,
            name="王举报",
            id_or_organisation="某单位",
            phone="13800001234",
            content=MATTER,
        )
        for n in range(count)
    )


def test_the_list_queries_do_not_grow_with_the_rows(client, demo, django_assert_max_num_queries):
    listing = listed_unit()
    make_complaints(listing, 5)
    client.force_login(demo["luoyang-city"])
    with django_assert_max_num_queries(20) as few:
        assert client.get("/complaints/").status_code == 200

    make_complaints(listed_unit(), 45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/complaints/", {"ordering": "-created_at"}).status_code == 200
