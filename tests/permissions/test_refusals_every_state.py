"""Refusals in every state (issue 20.5): an object of each workflow, built inside 洛阳 (410300)
in each state of its table, is refused to users of another jurisdiction and to the unrelated.

The states and the actions come from the tables (``Workflow.states``, ``Workflow.transitions``;
the opinion request's from its model), so a new state or action is walked here at once. A record
with no workflow (on-site check, incident, the agency's annual report) is walked in its one
state; the agency's third-party report (第三方评价报告) in the states of its engagement, which
decide whether its agency still reads it. For each kind: its page, its API detail endpoint and
its files' downloads are read by each foreign user (404 or 403), and each action of its table is
taken, from its source state, through the API and the page that take it (403 or 404, the state
unchanged). An action with no door of its own is listed in ``NO_DOOR`` with its reason, and the
listing is checked to stay true (the door it says is missing does not resolve). Each read is
checked against a local control (200), so that a wrong URL does not pass as a refusal.

The foreign users include 济南's agency and the demo 洛阳 agency: an agency must not read a
competitor's reports, engagements or profile, even in its own city.

The rows are built with the audit walk's builders (tests/audit/test_one_row_per_change.py), the
agency tests' helpers and the suite's factories, set straight to the state under test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import NoReverseMatch, resolve, reverse
from rest_framework.test import APIClient

from applications.models import Document, DocumentVersion
from applications.services.documents import document_upload
from applications.uploads import REPORT_MAX_BYTES, check_upload
from dynamic_mgmt.models import AnnualTableAttachment, ChangeDocument, Incident
from dynamic_mgmt.workflow import (
    annual_table_workflow,
    change_workflow,
    re_review_workflow,
    removal_workflow,
)
from greenmfg.accounts.roles import Role
from greenmfg.core import clock
from greenmfg.core.workflow import Workflow
from greenmfg.directory.models import Organisation
from reviews.models import OnsiteCheck, OpinionAttachment, OpinionRequest
from reviews.services.sheet import onsite_check_record
from reviews.workflow import (
    assignment_workflow,
    objection_workflow,
    publicity_workflow,
    sheet_workflow,
)
from tests.applications.helpers import pdf_upload
from tests.audit.test_one_row_per_change import (
    _change_report,
    _objection,
    _publicity,
    _re_review,
    assigned,
)
from tests.factories import (
    AnnualTableFactory,
    ApplicationFactory,
    EngagementFactory,
    ListingFactory,
    OrganisationFactory,
    RemovalProposalFactory,
    ScoreSheetFactory,
    UserFactory,
    bureau_user,
    demo_place,
    luoyang_bureau,
)
from tests.factories.applications import LUOYANG_COUNTY
from tests.thirdparty.helpers import qualified_agency
from thirdparty.models import AgencyProfile, AnnualReport, Engagement
from thirdparty.services.annual import annual_report_submit
from thirdparty.workflow import engagement_workflow, profile_workflow

pytestmark = pytest.mark.django_db

COMMENT = "经核实，情况属实。"
RECORDED = "recorded"  # the one state of a record with no workflow (on-site check, incident)

# The foreign users: 济南's city and county officials, enterprise, expert and agency, a 洛阳
# expert assigned to nothing, and the demo 洛阳 agency: every row here that has an agency has a
# new one, so the demo agency is a competitor in the same city (it must not read another
# agency's reports, engagements or profile).
FOREIGN = (
    "jinan-city",
    "jinan-county",
    "jinan-enterprise",
    "jinan-expert",
    "jinan-agency",
    "luoyang-expert",
    "luoyang-agency",
)

# Every field any action's form or serializer asks for, filled: a refusal must not be a 400 for
# a missing field (a 400 page renders the object), and a door that leaked would act.
PAYLOAD = {
    "comment": COMMENT,
    "reason": COMMENT,
    "reasons": COMMENT,
    "response": COMMENT,
    "answer": OpinionRequest.Answer.NO_OBJECTION,
    "document_number": "洛工信〔2026〕1号",
    "upheld": "1",
}


def with_file(build: Callable[[], object], model, parent: str, **fields) -> Callable[[], object]:
    """``build``, then a PDF of ``model`` (a stored file: an attachment, a document) on the row."""

    def built():
        row = build()
        stored = model(**{parent: row}, **fields)
        checked = check_upload(pdf_upload("附件.pdf"), pdf_only=True, max_bytes=REPORT_MAX_BYTES)
        stored.fill_from(checked, uploaded_by=bureau_user(luoyang_bureau()))
        stored.save()
        return row

    return built


def luoyang_enterprise() -> Organisation:
    return OrganisationFactory(jurisdiction=demo_place(LUOYANG_COUNTY))


def luoyang_application(**kwargs):
    return ApplicationFactory(organisation=luoyang_enterprise(), **kwargs)


def _opinion_request() -> OpinionRequest:
    return OpinionRequest.objects.create(
        application=luoyang_application(status="county_review"),
        department=Organisation.objects.filter(
            kind=Organisation.Kind.DEPARTMENT, jurisdiction__key=LUOYANG_COUNTY
        ).first(),
        message="请提出意见。",
        requested_by=bureau_user(luoyang_bureau()),
    )


def _onsite_check() -> OnsiteCheck:
    """A visit recorded through the service, with its file (read through its own download)."""
    return onsite_check_record(
        application=luoyang_application(status="expert_review"),
        actor=bureau_user(luoyang_bureau()),
        visited_on=clock.today(),
        team="张三、李四",
        findings="现场情况与申报一致。",
        passed=True,
        uploaded_file=pdf_upload("现场核查记录.pdf"),
    )


def _incident() -> Incident:
    return Incident.objects.create(
        listing=ListingFactory(),
        kind=Incident.Kind.SAFETY,
        occurred_on=clock.today() - timedelta(days=1),
        reported_on=clock.today(),
        description="车间发生火灾。",
        reported_by=bureau_user(luoyang_bureau()),
    )


def _engagement():
    engagement = EngagementFactory(application__organisation=luoyang_enterprise())
    UserFactory(organisation=engagement.agency, role=Role.AGENCY_STAFF)
    return engagement


def _agency_profile() -> AgencyProfile:
    return AgencyProfile.objects.get(organisation=qualified_agency())


def _annual_report() -> AnnualReport:
    agency = qualified_agency()
    return annual_report_submit(
        actor=agency.users.get(),
        year=clock.today().year,
        projects=3,
        summary="本年度承担绿色工厂评价 3 项。",
        uploaded=pdf_upload("年度工作情况报告.pdf"),
    )


def _third_party_report() -> DocumentVersion:
    """A version of the third-party report (第三方评价报告) a new qualified 洛阳 agency uploaded
    on its engagement, through the portal's service."""
    engagement = EngagementFactory(
        agency=qualified_agency(), application__organisation=luoyang_enterprise()
    )
    return document_upload(
        application=engagement.application,
        actor=engagement.agency.users.get(),
        kind=Document.Kind.THIRD_PARTY_REPORT,
        uploaded_file=pdf_upload("第三方评价报告.pdf"),
    )


def _set_engagement_state(version: DocumentVersion, state: str) -> None:
    """The report's state is its engagement's: the agency reads it while the engagement is
    active, the officials always."""
    Engagement.objects.filter(application=version.document.application_id).update(status=state)


def _assignment():
    assignment = assigned()
    application = assignment.application
    application.organisation = luoyang_enterprise()
    application.jurisdiction = application.organisation.jurisdiction
    application.save(update_fields=["organisation", "jurisdiction"])
    return assignment


@dataclass(frozen=True)
class Door:
    """Where an action is taken: an API route or a page, POSTed with ``PAYLOAD`` plus ``data``."""

    api: bool
    url: Callable[[object], str]
    data: dict = field(default_factory=dict)
    format: str = "json"  # the API's body; an answer with attachments is multipart


@dataclass(frozen=True)
class Kind:
    name: str
    states: tuple[str, ...]
    steps: tuple[tuple[str, str], ...]  # (source, action)
    build: Callable[[], object]
    page: Callable[[object], str]
    api: Callable[[object], str]
    # Local users of whom at least one reads it (the check that the URL is right).
    control: Callable[[object], tuple[str, ...]]
    doors: dict[str, tuple[Door, ...]]  # action → its doors
    # Further reads of the same row, walked as the page and the API detail are: (api, url).
    # A stored file's downloads, where a file is what the row is.
    files: tuple[tuple[bool, Callable[[object], str]], ...] = ()
    # How a row is put in a state, where its state is not its own ``status`` column.
    set_state: Callable[[object, str], None] | None = None
    # (state, read) that no one reads in that state, the local users included (checked): its
    # URL is shown right by the control in the other states.
    unread: frozenset[tuple[str, str]] = frozenset()

    def reads(self) -> tuple[tuple[str, bool, Callable[[object], str]], ...]:
        """(label, api, url) of every read of a row."""
        files = tuple((f"file{index}", api, url) for index, (api, url) in enumerate(self.files))
        return (("page", False, self.page), ("api", True, self.api), *files)

    @classmethod
    def of(cls, workflow: Workflow, **kwargs) -> Kind:
        return cls(
            name=workflow.name,
            states=tuple(workflow.states),
            steps=tuple((str(t.source), t.action) for t in workflow.transitions),
            **kwargs,
        )


def api_door(path: str, *, body: str = "json", **data) -> Door:
    return Door(True, lambda row: path.format(pk=row.pk), data, body)


def page_door(name: str, args: Callable[[object], list], **data) -> Door:
    return Door(False, lambda row: reverse(name, args=args(row)), data)


pk = lambda row: [row.pk]  # noqa: E731
CITY = lambda row: ("luoyang-city", "admin")  # noqa: E731


def table_args(row):
    return [row.listing_id, row.year]


KINDS = [
    Kind(
        name="opinion_request",
        states=tuple(OpinionRequest.Status.values),
        steps=((OpinionRequest.Status.PENDING, "answer"),),
        build=with_file(_opinion_request, OpinionAttachment, "request"),
        page=lambda row: reverse("reviews:opinion-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/opinion-requests/{row.pk}/",
        control=lambda row: (row.department.users.first().username, "admin"),
        files=(
            (
                False,
                lambda row: reverse("reviews:opinion-attachment", args=[row.attachments.get().pk]),
            ),
        ),
        doors={
            "answer": (
                api_door("/api/v1/opinion-requests/{pk}/answer/", body="multipart"),
                page_door("reviews:opinion-detail", pk),
            )
        },
    ),
    Kind.of(
        assignment_workflow,
        build=_assignment,
        page=lambda row: reverse("reviews:sheet-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/assignments/{row.pk}/",
        control=lambda row: (row.expert.username, "luoyang-city", "admin"),
        doors={
            "withdraw": (
                api_door("/api/v1/assignments/{pk}/withdraw/"),
                page_door("reviews:expert-withdraw", lambda row: [row.application_id, row.pk]),
            )
        },
    ),
    Kind.of(
        sheet_workflow,
        build=lambda: ScoreSheetFactory(assignment=_assignment()),
        page=lambda row: reverse("reviews:sheet-detail", args=[row.assignment_id]),
        api=lambda row: f"/api/v1/sheets/{row.pk}/",
        control=lambda row: (row.assignment.expert.username, "luoyang-city", "admin"),
        doors={
            "submit": (
                api_door("/api/v1/sheets/{pk}/submit/"),
                page_door("reviews:sheet-detail", lambda row: [row.assignment_id], action="submit"),
            )
        },
    ),
    Kind(
        name="onsite_check",
        states=(RECORDED,),
        steps=(),
        build=_onsite_check,
        # No page of its own: it is read on the application's decision page, and its file here.
        page=lambda row: reverse("reviews:decision-detail", args=[row.application_id]),
        api=lambda row: f"/api/v1/onsite-checks/{row.pk}/",
        control=CITY,
        doors={},
        files=((False, lambda row: reverse("reviews:onsite-attachment", args=[row.pk])),),
    ),
    Kind.of(
        publicity_workflow,
        build=_publicity,
        page=lambda row: reverse("reviews:publicity-manage", args=[row.pk]),
        api=lambda row: f"/api/v1/publicities/{row.pk}/",
        control=CITY,
        doors={
            "publish": (
                api_door("/api/v1/publicities/{pk}/publish/"),
                page_door("reviews:publicity-publish", pk),
            )
        },
    ),
    Kind.of(
        objection_workflow,
        build=_objection,
        # No page of its own: it is read and decided on its publicity's page.
        page=lambda row: reverse("reviews:publicity-manage", args=[row.item.publicity_id]),
        api=lambda row: f"/api/v1/objections/{row.pk}/",
        control=CITY,
        doors={
            action: (
                api_door("/api/v1/objections/{pk}/decide/", upheld=upheld),
                page_door("reviews:objection-decide", pk, upheld="1" if upheld else "0"),
            )
            for action, upheld in (("uphold", True), ("dismiss", False))
        },
    ),
    Kind.of(
        annual_table_workflow,
        build=with_file(AnnualTableFactory, AnnualTableAttachment, "table"),
        page=lambda row: reverse("dynamic_mgmt:table-detail", args=table_args(row)),
        api=lambda row: f"/api/v1/annual-tables/{row.pk}/",
        control=CITY,
        files=(
            (False, lambda row: reverse("registry:annual-table-pdf", args=table_args(row))),
            (
                False,
                lambda row: reverse(
                    "dynamic_mgmt:table-attachment", args=[row.attachments.get().pk]
                ),
            ),
        ),
        doors={
            "file": (
                api_door("/api/v1/annual-tables/{pk}/file/"),
                page_door("dynamic_mgmt:table-detail", table_args, action="file"),
            )
        },
    ),
    Kind.of(
        change_workflow,
        build=with_file(
            _change_report, ChangeDocument, "report", kind=ChangeDocument.Kind.SUPPORTING, number=1
        ),
        page=lambda row: reverse("dynamic_mgmt:change-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/change-reports/{row.pk}/",
        control=CITY,
        files=(
            (
                False,
                lambda row: reverse("dynamic_mgmt:change-document", args=[row.documents.get().pk]),
            ),
        ),
        doors={
            action: (
                api_door("/api/v1/change-reports/{pk}/transition/", action=action),
                page_door("dynamic_mgmt:change-transition", pk, action=action),
            )
            for action in {t.action for t in change_workflow.transitions}
        },
    ),
    Kind(
        name="incident",
        states=(RECORDED,),
        steps=(),
        build=_incident,
        page=lambda row: reverse("dynamic_mgmt:incident-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/incidents/{row.pk}/",
        control=CITY,
        doors={},
    ),
    Kind.of(
        re_review_workflow,
        build=_re_review,
        page=lambda row: reverse("dynamic_mgmt:rereview-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/re-reviews/{row.pk}/",
        control=CITY,
        doors={
            action: (
                api_door(f"/api/v1/re-reviews/{{pk}}/{action}/"),
                page_door(f"dynamic_mgmt:rereview-{action}", pk),
            )
            for action in ("extend", "end")
        },
    ),
    Kind.of(
        removal_workflow,
        build=RemovalProposalFactory,
        page=lambda row: reverse("dynamic_mgmt:removal-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/removal-proposals/{row.pk}/",
        control=CITY,
        doors={
            action: (
                api_door("/api/v1/removal-proposals/{pk}/decide/", decision=action),
                page_door("dynamic_mgmt:removal-detail", pk, decision=action),
            )
            for action in ("remove", "keep")
        },
    ),
    Kind.of(
        engagement_workflow,
        build=_engagement,
        page=lambda row: reverse("thirdparty:portal-engagement", args=[row.pk]),
        api=lambda row: f"/api/v1/engagements/{row.pk}/",
        control=lambda row: (*row.agency.users.values_list("username", flat=True), "admin"),
        doors={},
    ),
    Kind.of(
        profile_workflow,
        build=_agency_profile,
        page=lambda row: reverse("thirdparty:agency-detail", args=[row.organisation_id]),
        api=lambda row: f"/api/v1/agencies/{row.organisation_id}/",
        control=lambda row: (
            *row.organisation.users.values_list("username", flat=True),
            "luoyang-city",
            "admin",
        ),
        doors={
            # The page's submit (agency/profile/submit/) takes no row: it submits the user's own
            # agency's profile, so only the API's names another agency's.
            "submit": (api_door("/api/v1/agencies/{pk}/submit/"),),
            **{
                action: (
                    api_door(f"/api/v1/agencies/{{pk}}/{action}/"),
                    page_door(
                        "thirdparty:agency-decide", lambda row: [row.organisation_id], action=action
                    ),
                )
                for action in ("approve", "return")
            },
        },
    ),
    Kind(
        name="agency_annual_report",
        states=(RECORDED,),
        steps=(),
        build=_annual_report,
        page=lambda row: reverse("thirdparty:annual-download", args=[row.pk]),
        api=lambda row: f"/api/v1/annual-reports/{row.pk}/",
        control=lambda row: (row.submitted_by.username, "luoyang-city", "admin"),
        doors={},
        files=((True, lambda row: f"/api/v1/annual-reports/{row.pk}/download/"),),
    ),
    Kind(
        name="third_party_report",
        states=tuple(Engagement.Status.values),
        steps=(),
        build=_third_party_report,
        # The agency's download in its portal; the officials read it with the application's
        # files (the page below and the API).
        page=lambda row: reverse("thirdparty:portal-report-download", args=[row.pk]),
        api=lambda row: f"/api/v1/document-versions/{row.pk}/download/",
        control=lambda row: (row.uploaded_by.username, "luoyang-city", "admin"),
        doors={},
        files=((False, lambda row: reverse("applications:document-download", args=[row.pk])),),
        set_state=_set_engagement_state,
        # Once the engagement is withdrawn the agency no longer downloads its report.
        unread=frozenset({(Engagement.Status.WITHDRAWN, "page")}),
    ),
]
BY_NAME = {kind.name: kind for kind in KINDS}

# Actions with no door of their own, each with its reason and the route that would be its door
# (checked not to resolve, so that a door added later is walked here).
NO_DOOR: dict[tuple[str, str], tuple[str, str]] = {
    ("expert_assignment", "submit"): (
        "taken with the score sheet's submit (walked under score_sheet)",
        "reviews:expert-submit",
    ),
    ("expert_assignment", "recuse"): (
        "taken by the expert's conflict declaration, which names an organisation, not a row",
        "reviews:expert-recuse",
    ),
    ("publicity", "end"): (
        "taken by the scheduler (role system) at the end date",
        "reviews:publicity-end",
    ),
    ("removal_proposal", "close_with_removal"): (
        "taken by the removal service when another proposal removes the listing",
        "dynamic_mgmt:removal-close",
    ),
    ("agency_profile", "reopen"): (
        "taken by the profile service when the agency changes an approved profile",
        "thirdparty:profile-reopen",
    ),
    ("engagement", "withdraw"): (
        "taken by the application's services when the agency is changed",
        "thirdparty:engagement-withdraw",
    ),
}


def in_state(kind: Kind, state: str):
    row = kind.build()
    if kind.set_state is not None:
        kind.set_state(row, state)
    elif state != RECORDED:
        type(row)._default_manager.filter(pk=row.pk).update(status=state)
        row.refresh_from_db()
    return row


def state_of(row) -> str:
    if not hasattr(row, "status"):
        return RECORDED
    row.refresh_from_db()
    return row.status


def reader(user, *, api: bool):
    client = APIClient() if api else Client()
    if api:
        client.force_authenticate(user)
    else:
        client.force_login(user)
    return client


def post_through(door: Door, user, url: str, data: dict):
    """``user`` sends ``data`` through ``door``: the API's body in its format, a page's form."""
    client = reader(user, api=door.api)
    if door.api:
        return client.post(url, data, format=door.format)
    return client.post(url, data)


def foreign_read_leaks(demo, url: str, *, api: bool) -> list[tuple[str, str, int]]:
    """Each foreign user's read of ``url`` that was not refused (403 or 404)."""
    leaks = []
    for username in FOREIGN:
        status = reader(demo[username], api=api).get(url).status_code
        if status not in (403, 404):
            leaks.append((username, url, status))
    return leaks


def assert_no_door_stays_true(no_door: dict, kinds: list[Kind]) -> None:
    """Each action listed without a door is a step of its kind, has no door there, gives its
    reason, and the route that would be its door does not resolve (a door added later is
    walked, not passed over)."""
    by_name = {kind.name: kind for kind in kinds}
    steps = {(kind.name, action) for kind in kinds for _, action in kind.steps}
    for (name, action), (reason, route) in no_door.items():
        assert (name, action) in steps, f"listed, but no such step: {name} {action}"
        assert action not in by_name[name].doors, f"{name} {action} has a door: walk it"
        assert reason
        with pytest.raises(NoReverseMatch):
            reverse(route, args=[1])


def test_the_kinds_cover_the_tables_and_no_door_stays_true():
    tables = {
        assignment_workflow,
        sheet_workflow,
        publicity_workflow,
        objection_workflow,
        annual_table_workflow,
        change_workflow,
        re_review_workflow,
        removal_workflow,
        engagement_workflow,
        profile_workflow,
    }
    assert {w.name for w in tables} <= set(BY_NAME)
    assert_no_door_stays_true(NO_DOOR, KINDS)
    for kind in KINDS:
        for _, action in kind.steps:
            assert action in kind.doors or (kind.name, action) in NO_DOOR, (kind.name, action)


READS = [
    pytest.param(kind.name, state, label, id=f"{kind.name}-{state}-{label}")
    for kind in KINDS
    for state in kind.states
    for label, _, _ in kind.reads()
]


@pytest.mark.parametrize(("name", "state", "label"), READS)
def test_a_foreign_user_cannot_read_it(demo, name, state, label):
    kind = BY_NAME[name]
    row = in_state(kind, state)
    api, read = next((api, url) for each, api, url in kind.reads() if each == label)
    url = read(row)
    controls = {
        username: reader(demo[username], api=api).get(url).status_code
        for username in kind.control(row)
    }
    if (state, label) in kind.unread:
        assert 200 not in controls.values(), (url, controls)
    else:
        assert 200 in controls.values(), (url, controls)

    assert foreign_read_leaks(demo, url, api=api) == []


ACTIONS = [
    pytest.param(kind.name, source, action, index, id=f"{kind.name}-{source}-{action}-{index}")
    for kind in KINDS
    for source, action in kind.steps
    if (kind.name, action) not in NO_DOOR
    for index in range(len(kind.doors[action]))
]


@pytest.mark.parametrize(("name", "source", "action", "index"), ACTIONS)
def test_a_foreign_user_cannot_act_on_it(demo, name, source, action, index):
    kind = BY_NAME[name]
    door = kind.doors[action][index]
    row = in_state(kind, source)
    url = door.url(row)
    resolve(url.split("?")[0])
    data = {**PAYLOAD, **door.data}

    leaks = []
    for username in FOREIGN:
        response = post_through(door, demo[username], url, data)
        if response.status_code not in (403, 404) or state_of(row) != source:
            leaks.append((username, url, response.status_code, state_of(row)))
    assert leaks == []
