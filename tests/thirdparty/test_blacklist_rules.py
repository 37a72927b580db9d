"""黑名单: three years in which the agency's reports are not accepted in the deciding authority's
subtree (洛阳 第二十条, 济南 第十四条, 大连 二); applications carrying them are flagged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.models import Document
from applications.services.documents import document_upload
from greenmfg.audit.models import AuditEntry
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.notifications.models import Notification
from tests.applications.helpers import pdf_upload
from thirdparty.models import BlacklistEntry
from thirdparty.selectors.agencies import blacklisting
from thirdparty.services.agencies import blacklist_add, blacklist_lift

from .helpers import batch_of, draft, name_agency, qualified_agency

pytestmark = pytest.mark.django_db
REASON = "经查实，该机构在评价过程中伪造企业能耗数据。"


def evidence():
    return pdf_upload("查处决定书.pdf")


def test_blacklisting_lasts_three_years_and_bars_the_agency_in_the_subtree(demo):
    agency = qualified_agency()
    entry = blacklist_add(
        agency=agency, actor=demo["luoyang-city"], reason=REASON, evidence=evidence()
    )

    today = timezone.localdate()
    assert (entry.starts_on, entry.ends_on) == (today, today.replace(year=today.year + 3))
    assert entry.jurisdiction.key == "410300" and len(entry.sha256) == 64
    luoyang, applicant = draft(batch_of("luoyang"))
    [refusal] = name_agency(luoyang, applicant, agency)
    assert "已被洛阳市工业和信息化局列入黑名单" in refusal
    # Outside the deciding authority's subtree the agency is still accepted.
    jinan, jinan_applicant = draft(batch_of("jinan"), county="jinan")
    assert name_agency(jinan, jinan_applicant, agency) == []


def test_the_blacklist_ends_after_three_years():
    agency = qualified_agency()
    luoyang = batch_of("luoyang").jurisdiction
    today = timezone.localdate()
    entry = BlacklistEntry.objects.create(
        agency=agency,
        authority=batch_of("luoyang").authority,
        jurisdiction=luoyang,
        reason=REASON,
        starts_on=today.replace(year=today.year - 3),
        ends_on=today,
        original_name="x.pdf",
        size=1024,
        extension="pdf",
        content_type="application/pdf",
        sha256="0" * 64,
        created_by=agency.users.get(),
    )

    assert blacklisting(agency_id=agency.pk, jurisdiction=luoyang) is None  # ended today
    yesterday = today - datetime.timedelta(days=1)
    assert blacklisting(agency_id=agency.pk, jurisdiction=luoyang, on=yesterday) == entry


def test_applications_already_carrying_the_agency_are_flagged_and_refused(demo):
    agency = qualified_agency()
    application, applicant = draft(batch_of("luoyang"))
    assert name_agency(application, applicant, agency) == []

    blacklist_add(agency=agency, actor=demo["luoyang-city"], reason=REASON, evidence=evidence())

    assert AuditEntry.objects.filter(
        object_id=str(application.pk), action="agency_blacklisted"
    ).exists()
    assert Notification.objects.filter(
        recipient=demo["luoyang-county"], subject__startswith="评价机构被列入黑名单"
    ).exists()
    with pytest.raises(DomainError, match="不予采信其评价报告"):
        document_upload(
            application=application,
            actor=agency.users.get(),
            kind=Document.Kind.THIRD_PARTY_REPORT,
            uploaded_file=pdf_upload("第三方评价报告.pdf"),
        )
    from applications.services.applications import submission_refusals
    from greenmfg.rules import Verdict

    application.refresh_from_db()
    refusals = submission_refusals(application=application, precheck=Verdict.from_findings([]))
    assert any("列入黑名单" in refusal for refusal in refusals)


def test_a_county_blacklists_for_its_own_county_only(demo):
    agency = qualified_agency()
    entry = blacklist_add(
        agency=agency, actor=demo["luoyang-county"], reason=REASON, evidence=evidence()
    )

    assert entry.jurisdiction.key == "410311"  # 洛龙区, the demo county
    batch = batch_of("luoyang")
    in_county, applicant = draft(batch, county="luoyang")
    assert name_agency(in_county, applicant, agency)
    yanshi, yanshi_applicant = draft(batch, county="yanshi")
    assert name_agency(yanshi, yanshi_applicant, agency) == []


@pytest.mark.parametrize("who", ["luoyang-enterprise", "luoyang-agency", "luoyang-expert"])
def test_only_bureaus_blacklist(demo, who):
    with pytest.raises(NotPermitted, match="工业和信息化主管部门"):
        blacklist_add(
            agency=qualified_agency(), actor=demo[who], reason=REASON, evidence=evidence()
        )


@pytest.mark.parametrize(
    ("reason", "upload", "field"),
    [
        ("伪造", evidence, "reason"),
        (REASON, lambda: None, "evidence"),
        (REASON, lambda: SimpleUploadedFile("a.pdf", b"not a pdf at all"), "evidence"),
    ],
    ids=["short-reason", "no-evidence", "fake-pdf"],
)
def test_a_reason_and_real_evidence_are_required(demo, reason, upload, field):
    with pytest.raises(ValidationError) as error:
        blacklist_add(
            agency=qualified_agency(), actor=demo["luoyang-city"], reason=reason, evidence=upload()
        )

    assert field in error.value.message_dict
    assert not BlacklistEntry.objects.exists()


def test_an_agency_is_listed_once_in_a_subtree(demo):
    agency = qualified_agency()
    blacklist_add(agency=agency, actor=demo["luoyang-city"], reason=REASON, evidence=evidence())

    with pytest.raises(DomainError, match="已在本辖区的黑名单中"):
        blacklist_add(agency=agency, actor=demo["luoyang-city"], reason=REASON, evidence=evidence())


def test_lifting_early_needs_a_recorded_decision_of_the_authority_or_above(demo):
    agency = qualified_agency()
    entry = blacklist_add(
        agency=agency, actor=demo["luoyang-city"], reason=REASON, evidence=evidence()
    )
    with pytest.raises(NotPermitted):
        blacklist_lift(entry=entry, actor=demo["jinan-city"], decision="经复核，决定提前解除黑名单")
    with pytest.raises(ValidationError, match="决定及理由"):
        blacklist_lift(entry=entry, actor=demo["luoyang-city"], decision="解除")

    blacklist_lift(
        entry=entry, actor=demo["henan"], decision="经省厅复核，原查处依据不足，决定提前解除。"
    )

    entry.refresh_from_db()
    assert entry.lifted_on == timezone.localdate() and entry.lifted_by == demo["henan"]
    application, applicant = draft(batch_of("luoyang"))
    assert name_agency(application, applicant, agency) == []
    assert AuditEntry.objects.filter(object_id=str(entry.pk), action="lift").exists()
    with pytest.raises(DomainError, match="不在有效期内"):
        blacklist_lift(entry=entry, actor=demo["henan"], decision="再次解除的决定说明文字")


@pytest.mark.parametrize(
    ("days_ago", "message"),
    [(-1, "不能晚于今天"), (365 * 3 + 1, "三年已满")],
    ids=["future", "already-over"],
)
def test_the_decision_date_is_checked(demo, days_ago, message):
    starts_on = timezone.localdate() - datetime.timedelta(days=days_ago)

    with pytest.raises(ValidationError, match=message):
        blacklist_add(
            agency=qualified_agency(),
            actor=demo["luoyang-city"],
            reason=REASON,
            evidence=evidence(),
            starts_on=starts_on,
        )


def test_an_overlapping_entry_is_refused_even_when_back_dated(demo):
    agency = qualified_agency()
    blacklist_add(agency=agency, actor=demo["henan"], reason=REASON, evidence=evidence())

    with pytest.raises(DomainError, match="已在本辖区的黑名单中"):
        blacklist_add(
            agency=agency,
            actor=demo["luoyang-city"],
            reason=REASON,
            evidence=evidence(),
            starts_on=timezone.localdate() - datetime.timedelta(days=30),
        )
