"""The agency's doors through the one transition runner (issue 15.1): what they write.

An engagement withdrawn when the applicant changes its agency, and an approved profile sent back
for review by a change, each leave one audit row with the same action, label, states and comment
as before, and the change itself is saved with the state.
"""

import pytest

from greenmfg.audit.selectors import audit_entries_for
from thirdparty.models import AgencyProfile, Engagement
from thirdparty.services import profile as services

from .helpers import batch_of, draft, name_agency, qualified_agency
from .test_agency_profile import fill, new_agency

pytestmark = pytest.mark.django_db
P = AgencyProfile.Status


def test_changing_the_agency_withdraws_the_engagement_with_its_audit_row():
    application, applicant = draft(batch_of("jinan"), county="jinan")
    first = qualified_agency(city_key="370100")
    assert name_agency(application, applicant, first) == []
    engagement = Engagement.objects.get(application=application, agency=first)

    assert name_agency(application, applicant, qualified_agency(city_key="370100")) == []

    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.WITHDRAWN
    assert engagement.withdrawn_at is not None
    [entry] = audit_entries_for(subject=engagement).filter(action="withdraw")
    assert (entry.action_label, entry.from_state, entry.to_state) == (
        "撤销评价委托",
        "active",
        "withdrawn",
    )
    assert entry.comment == "申报单位更换或取消了第三方评价机构"
    assert entry.actor == applicant


def test_a_change_to_an_approved_profile_is_saved_with_its_reopening():
    agency, member = new_agency()
    profile = fill(agency, status=P.APPROVED)

    returned = services.profile_save(
        agency=agency,
        actor=member,
        legal_representative=profile.legal_representative,
        legal_representative_id=profile.legal_representative_id,
        office_address="洛阳市涧西区新址2号",
        independent_legal_entity=True,
        has_fixed_office=True,
        has_finance_system=True,
        staff_compliance=True,
        evaluation_capability=True,
    )

    profile.refresh_from_db()
    assert (profile.status, profile.office_address) == (P.SUBMITTED, "洛阳市涧西区新址2号")
    assert profile.submitted_at is not None
    # The object handed back to the page reads what was saved.
    assert (returned.status, returned.submitted_at, returned.updated_at) == (
        profile.status,
        profile.submitted_at,
        profile.updated_at,
    )
    # One change, one row (issue 20.6): the reopening, carrying what was edited.
    [reopen] = audit_entries_for(subject=profile)
    assert (reopen.action, reopen.action_label, reopen.from_state, reopen.to_state) == (
        "reopen",
        "资质信息变更，重新提交审核",
        P.APPROVED,
        P.SUBMITTED,
    )
    assert reopen.comment == "修改了：办公地址"
    assert reopen.data["edit"] == "修改资质基本信息"
