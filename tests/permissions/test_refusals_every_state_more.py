"""Refusals in every state (issue 20.5), the remaining tables: 申报 (application), 申报批次
(batch), 培育库 (cultivation candidate), 名单 (listing), 举报 (complaint), 专家库成员 (expert
membership), 单位登记 (organisation), and the agency blacklist's entries (评价机构黑名单, whose
states come from its dates).

The walk is the one of tests/permissions/test_refusals_every_state.py, with its helpers, foreign
users and payload: an object of each kind is built inside 洛阳 (410300) in each state; each
foreign user reads its page, its API detail and its files (403 or 404, each read first checked
against a local user's 200) and takes each action of its table through each door that takes it
(403 or 404, the state unchanged and no audit row written). An action with no door of its own
is listed in ``NO_DOOR`` with its reason, checked to stay true. Each door is also reached by a
local user (not a 404), and each kind's API list holds its rows for the local users and for no
foreign user. A last test finds every ``Workflow`` in the code base (as
tests/audit/test_one_row_per_change.py does) and asserts each is walked by one of the two
modules.

What is public by design, and so not walked as a refusal:
- a listing is published: 名单 pages (/mingdan/units/<organisation>/) and
  ``/api/v1/public/listings/`` show it to everyone, signed in or not (walked below: alike
  to all); the foreign check is on the officials' page (registry:listing-manage), their
  API (``/api/v1/listings/``) and the actions;
- a blacklist entry is published on 评价机构黑名单公示 (gongshi/agency-blacklist/ and
  ``/api/v1/public/agency-blacklist/``) without its evidence and its lift reason (the public
  selector defers them); the officials' page and API, and the evidence, are walked;
- a complaint is read by its filer through its tracking code (a capability: whoever holds
  the code, signed in or not, not a user), and by the officials of its handling jurisdiction;
  the officials' page, API and the evidence are walked;
- an organisation has no public profile: its page and API are its officials' and its own
  users' only (``organisation_list``), so they are walked in every state.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from applications.api.serializers import TRANSITION_ACTIONS
from applications.models import CultivationCandidate
from applications.workflow import application_workflow, batch_workflow, pool_workflow
from greenmfg.accounts.roles import Role
from greenmfg.core import clock
from greenmfg.directory.workflow import organisation_workflow
from registry.models import Complaint, ComplaintEvidence, Listing
from registry.workflow import complaint_workflow, listing_workflow
from reviews.models import ExpertMembership
from reviews.workflow import ACTIVE, INACTIVE, membership_workflow
from tests.audit.test_one_row_per_change import all_workflows, entries_for
from tests.factories import (
    BatchFactory,
    ComplaintFactory,
    ListingFactory,
    RemovalProposalFactory,
    UserFactory,
    bureau_user,
    demo_place,
    luoyang_bureau,
)
from tests.factories.applications import LUOYANG_COUNTY
from tests.permissions.test_refusals_every_state import (
    CITY,
    FOREIGN,
    KINDS,
    NO_DOOR,
    PAYLOAD,
    Kind,
    api_door,
    assert_no_door_stays_true,
    foreign_read_leaks,
    in_state,
    luoyang_application,
    luoyang_enterprise,
    page_door,
    pk,
    post_through,
    reader,
    with_file,
)
from tests.thirdparty.helpers import qualified_agency
from tests.thirdparty.test_blacklist_pages import add
from thirdparty.models import BlacklistEntry
from thirdparty.selectors.blacklist import EXPIRED, IN_FORCE, LIFTED, PENDING, entry_state

pytestmark = pytest.mark.django_db

DECISION = "经复核，原查处依据不足，决定提前解除。"
# The fields the further doors ask for, on top of the first module's: a refusal must not be a
# 400 for a missing field, and a door that leaked would act.
MORE_PAYLOAD = {
    "decision": DECISION,
    "outcome": Complaint.Outcome.UNFOUNDED,
    "outcome_note": PAYLOAD["comment"],
    "occurred_on": "2026-12-01",
    "new_name": "洛阳新名称有限公司",
    "new_value": "新的厂区边界",
    "old_value": "原厂区边界",
}


# --- builders ----------------------------------------------------------------------------------


def _candidate() -> CultivationCandidate:
    return CultivationCandidate.objects.create(
        county=demo_place(LUOYANG_COUNTY),
        organisation=luoyang_enterprise(),
        target_unit_type="factory",
        target_year=clock.today().year,
        plan="三年培育计划",
        created_by=bureau_user(luoyang_bureau()),
    )


def _membership() -> ExpertMembership:
    """A new expert in the 洛阳 city bureau's pool (the demo 洛阳 expert is not this one)."""
    return ExpertMembership.objects.create(
        authority=luoyang_bureau(),
        expert=UserFactory(role=Role.EXPERT, organisation=None),
        field="energy",
        title="高级工程师",
        active_from=clock.today().year,
    )


def _set_membership_state(row: ExpertMembership, state: str) -> None:
    ExpertMembership.objects.filter(pk=row.pk).update(is_active=state == ACTIVE)
    row.refresh_from_db()


def _blacklist_entry() -> BlacklistEntry:
    """An entry the 洛阳 city bureau decided today on a 洛阳 agency, through the service."""
    return add(bureau_user(luoyang_bureau()), qualified_agency())


def _set_blacklist_state(row: BlacklistEntry, state: str) -> None:
    """An entry's state is its dates': pending before ``starts_on``, in force up to the day
    before ``ends_on``, expired from then, lifted once ``lifted_on`` is set."""
    today = clock.today()
    dates = {
        PENDING: {"starts_on": today + timedelta(days=10), "ends_on": today + timedelta(days=900)},
        IN_FORCE: {},
        EXPIRED: {"starts_on": today - timedelta(days=1100), "ends_on": today - timedelta(days=5)},
        LIFTED: {
            "lifted_on": today,
            "lift_reason": DECISION,
            "lifted_by": bureau_user(luoyang_bureau()),
        },
    }[state]
    BlacklistEntry.objects.filter(pk=row.pk).update(**dates)
    row.refresh_from_db()
    assert entry_state(row) == state


# How the state of a row is read where it is not its ``status`` column.
STATE_OF = {
    membership_workflow.name: lambda row: ACTIVE if row.is_active else INACTIVE,
    "agency_blacklist": entry_state,
}


# --- the kinds ---------------------------------------------------------------------------------

COUNTY = lambda row: ("luoyang-county", "luoyang-city", "admin")  # noqa: E731


def transition_doors(workflow, page: str, api: str, *, actions=None) -> dict[str, tuple]:
    """Each action through the generic transition doors (``action`` in the body)."""
    actions = actions or {t.action for t in workflow.transitions}
    return {
        action: (api_door(api, action=action), page_door(page, pk, action=action))
        for action in actions
    }


def _pool_doors():
    doors = transition_doors(
        pool_workflow, "applications:pool-transition", "/api/v1/pool/{pk}/transition/"
    )
    # 邀请申报 has its own doors too (it names a batch).
    doors["invite"] += (
        api_door("/api/v1/pool/{pk}/invite/"),
        page_door("applications:pool-invite", pk),
    )
    return doors


def _application_doors():
    """Each action through the page's transition door; the API's takes only the steps taken by
    hand (its ``action`` is a choice of those, so a step taken by a service is a 400 for
    anyone, before any row is looked up: not a door to that step)."""
    doors = {
        action: (page_door("applications:application-transition", pk, action=action),)
        for action in {t.action for t in application_workflow.transitions}
    }
    for action in TRANSITION_ACTIONS:
        doors[action] += (api_door("/api/v1/applications/{pk}/transition/", action=action),)
    doors["submit"] += (api_door("/api/v1/applications/{pk}/submit/"),)
    return doors


def _listing_doors():
    """名单 events: the officials' page (one form per kind of event, named by ``form``, its
    fields prefixed) and the API's three routes."""

    def page(form: str, **fields) -> object:
        return page_door(
            "registry:listing-manage",
            pk,
            form=form,
            **{f"{form}-{name}": value for name, value in fields.items()},
            **{
                f"{form}-occurred_on": MORE_PAYLOAD["occurred_on"],
                f"{form}-document_number": PAYLOAD["document_number"],
                f"{form}-reason": PAYLOAD["reason"],
            },
        )

    def change(kind: str):
        return (
            api_door("/api/v1/listings/{pk}/change/", kind=kind),
            page("change", kind=kind, old_value="原厂区边界", new_value="新的厂区边界"),
        )

    def review(outcome: str):
        return (
            api_door("/api/v1/listings/{pk}/re-review/", outcome=outcome),
            page("review", outcome=outcome),
        )

    return {
        "name_change": (
            api_door("/api/v1/listings/{pk}/name-change/"),
            page("name", new_name=MORE_PAYLOAD["new_name"]),
        ),
        "boundary_change": change("boundary_change"),
        "scope_change": change("scope_change"),
        "start_re_review": review("started"),
        "pass_re_review": review("passed"),
        "extend": review("passed"),
        "fail_re_review": review("failed"),
    }


MORE_KINDS = [
    Kind.of(
        application_workflow,
        build=luoyang_application,
        page=lambda row: reverse("applications:application-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/applications/{row.pk}/",
        control=lambda row: (row.created_by.username, "luoyang-county", "admin"),
        files=(
            (False, lambda row: reverse("applications:application-pdf", args=[row.pk])),
            (True, lambda row: f"/api/v1/applications/{row.pk}/documents/"),
        ),
        doors=_application_doors(),
    ),
    Kind.of(
        batch_workflow,
        # Batches are published to the applicants they cover (the 洛阳 enterprises, while open)
        # and to the officials below; nobody in 济南, no expert and no agency reads them.
        build=BatchFactory,
        page=lambda row: reverse("applications:batch-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/batches/{row.pk}/",
        control=CITY,
        doors=transition_doors(
            batch_workflow, "applications:batch-transition", "/api/v1/batches/{pk}/transition/"
        ),
    ),
    Kind.of(
        pool_workflow,
        build=_candidate,
        page=lambda row: reverse("applications:pool-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/pool/{row.pk}/",
        control=COUNTY,
        doors=_pool_doors(),
    ),
    # The listing's first step (from ``NEW``, no row yet) is not a state a row is in.
    dataclasses.replace(
        Kind.of(
            listing_workflow,
            build=ListingFactory,
            page=lambda row: reverse("registry:listing-manage", args=[row.pk]),
            api=lambda row: f"/api/v1/listings/{row.pk}/",
            control=COUNTY,
            doors=_listing_doors(),
        ),
        states=tuple(Listing.Status.values),
    ),
    Kind.of(
        complaint_workflow,
        build=with_file(ComplaintFactory, ComplaintEvidence, "complaint", original_name="证据.pdf"),
        page=lambda row: reverse("registry:complaint-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/complaints/{row.pk}/",
        control=COUNTY,
        files=(
            (
                False,
                lambda row: reverse("registry:complaint-evidence", args=[row.evidence.get().pk]),
            ),
            (
                True,
                lambda row: f"/api/v1/complaints/{row.pk}/evidence/{row.evidence.get().pk}/",
            ),
        ),
        doors={
            action: (
                api_door(f"/api/v1/complaints/{{pk}}/{action}/"),
                page_door(f"registry:complaint-{action}", pk),
            )
            for action in ("verify", "close")
        },
    ),
    Kind.of(
        membership_workflow,
        build=_membership,
        # The pool keeper's page of the member (its form) and the API's.
        page=lambda row: reverse("reviews:expert-update", args=[row.pk]),
        api=lambda row: f"/api/v1/expert-pool/{row.pk}/",
        control=CITY,
        set_state=_set_membership_state,
        doors={
            action: (
                api_door(f"/api/v1/expert-pool/{{pk}}/{action}/"),
                page_door(f"reviews:expert-{action}", pk),
            )
            for action in ("deactivate", "reactivate")
        },
    ),
    Kind.of(
        organisation_workflow,
        build=luoyang_enterprise,
        page=lambda row: reverse("directory:organisation-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/organisations/{row.pk}/",
        control=COUNTY,
        files=((True, lambda row: f"/api/v1/organisations/{row.pk}/audit/"),),
        doors=transition_doors(
            organisation_workflow,
            "directory:organisation-transition",
            "/api/v1/organisations/{pk}/transition/",
        ),
    ),
    Kind(
        name="agency_blacklist",
        states=(PENDING, IN_FORCE, LIFTED, EXPIRED),
        # 提前解除: the deciding authority or one above it, while the entry is pending or in
        # force (thirdparty.views.blacklist.blacklist_lift_view).
        steps=((PENDING, "lift"), (IN_FORCE, "lift")),
        build=_blacklist_entry,
        page=lambda row: reverse("thirdparty:blacklist-detail", args=[row.pk]),
        api=lambda row: f"/api/v1/agency-blacklist/{row.pk}/",
        control=CITY,
        files=(
            (False, lambda row: reverse("thirdparty:blacklist-evidence", args=[row.pk])),
            (True, lambda row: f"/api/v1/agency-blacklist/{row.pk}/evidence/"),
        ),
        set_state=_set_blacklist_state,
        doors={
            "lift": (
                api_door("/api/v1/agency-blacklist/{pk}/lift/"),
                page_door("thirdparty:blacklist-lift", pk),
            )
        },
    ),
]
BY_NAME = {kind.name: kind for kind in MORE_KINDS}

# Actions with no door of their own, each with its reason and the route that would be its door
# (checked not to resolve).
MORE_NO_DOOR: dict[tuple[str, str], tuple[str, str]] = {
    ("listing", "list"): (
        "taken when the authority publishes its list (walked under publicity's publish); "
        "there is no row before it",
        "registry:listing-list-unit",
    ),
    ("listing", "import"): (
        "taken by a spreadsheet import's run, which names no listing (no row before it)",
        "registry:listing-import-unit",
    ),
    ("listing", "remove"): (
        "taken by the removal proposal's decision (walked under removal_proposal)",
        "registry:listing-remove",
    ),
}


def state_of(kind: Kind, row) -> str:
    if kind.name in STATE_OF:
        row.refresh_from_db()
        return STATE_OF[kind.name](row)
    row.refresh_from_db()
    return row.status


# --- the tests ---------------------------------------------------------------------------------


def test_every_workflow_is_walked_and_no_door_stays_true():
    """Every ``Workflow`` of the code base, found as the audit walk finds them, is a kind of one
    of the two modules; each of its steps has a door here or a reason in a ``NO_DOOR``."""
    walked = {kind.name: kind for kind in (*KINDS, *MORE_KINDS)}
    assert not set(BY_NAME) & {kind.name for kind in KINDS}, "a kind walked twice"
    found = all_workflows()
    missing = {workflow.name for workflow in found} - set(walked)
    assert missing == set(), f"tables walked by neither module: {missing}"
    no_door = {**NO_DOOR, **MORE_NO_DOOR}
    for workflow in found:
        kind = walked[workflow.name]
        steps = {(str(t.source), t.action) for t in workflow.transitions}
        assert set(kind.steps) == steps, workflow.name
        for _, action in steps:
            assert action in kind.doors or (workflow.name, action) in no_door, (
                workflow.name,
                action,
            )
    assert_no_door_stays_true(MORE_NO_DOOR, MORE_KINDS)


READS = [
    pytest.param(kind.name, state, label, id=f"{kind.name}-{state or 'new'}-{label}")
    for kind in MORE_KINDS
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
    assert 200 in controls.values(), (url, controls)

    assert foreign_read_leaks(demo, url, api=api) == []


ACTIONS = [
    pytest.param(kind.name, source, action, index, id=f"{kind.name}-{source}-{action}-{index}")
    for kind in MORE_KINDS
    for source, action in kind.steps
    if (kind.name, action) not in MORE_NO_DOOR
    for index in range(len(kind.doors[action]))
]


@pytest.mark.parametrize(("name", "source", "action", "index"), ACTIONS)
def test_a_foreign_user_cannot_act_on_it(demo, name, source, action, index):
    """Refused, the state unchanged and no audit row written (a listing's name or boundary
    change keeps its state: the trail is what shows it was not recorded)."""
    kind = BY_NAME[name]
    door = kind.doors[action][index]
    row = in_state(kind, source)
    url = door.url(row)
    resolve(url.split("?")[0])
    data = {**PAYLOAD, **MORE_PAYLOAD, **door.data}
    trail = entries_for(row).count()

    leaks = []
    for username in FOREIGN:
        response = post_through(door, demo[username], url, data)
        state, written = state_of(kind, row), entries_for(row).count() - trail
        if response.status_code not in (403, 404) or state != source or written:
            leaks.append((username, url, response.status_code, state, written))
    assert leaks == []

    # The door is the row's: a local user reaches it (whatever it then answers), so a 404 above
    # is a refusal, not a wrong address.
    reached = {
        username: post_through(door, demo[username], url, data).status_code
        for username in kind.control(row)
    }
    assert any(status != 404 for status in reached.values()), (url, reached)


# --- what is public by design: the same answer to everyone, and nothing private in it ------------

# The filer's identity and the complaint's content are the handlers' only (may_see_identity);
# the blacklist's evidence, its lift decision and who recorded it are the officials' only; on a
# unit's public page, an open removal proposal is shown to the officials over its place only
# (registry.selectors.public.pending_removals_for).
COMPLAINT_PRIVATE = (
    "李举报",
    "410302199001011234",
    "13800138000",
    "lijubao@example.cn",
    "长期超标",
)
PENDING_REMOVAL = "移出建议待决定"


@dataclass(frozen=True)
class PublicRead:
    name: str  # the kind
    label: str
    api: bool
    url: Callable[[object], str]
    private: tuple[str, ...]  # words no foreign user nor the anonymous visitor may read
    # Something private put on the row first, and the local user who does read it (the check
    # that the probe would see it), in the states where they read it.
    prepare: Callable[[object], None] | None = None
    shown_to: str = ""
    shown_in: tuple[str, ...] = ()


def _open_removal(listing: Listing) -> None:
    RemovalProposalFactory(listing=listing)


PUBLIC = [
    PublicRead(
        "listing",
        "unit-page",
        False,
        lambda row: reverse("registry:public-unit", args=[row.organisation_id]),
        (PENDING_REMOVAL,),
        prepare=_open_removal,
        shown_to="luoyang-city",
        shown_in=(Listing.Status.ACTIVE, Listing.Status.UNDER_REVIEW),
    ),
    PublicRead("listing", "unit-api", True, lambda row: f"/api/v1/public/listings/{row.pk}/", ()),
    PublicRead(
        "complaint",
        "tracking-page",
        False,
        lambda row: reverse("registry:public-complaint", args=[row.tracking_code]),
        COMPLAINT_PRIVATE,
    ),
    PublicRead(
        "complaint",
        "tracking-api",
        True,
        lambda row: f"/api/v1/public/complaints/{row.tracking_code}/",
        COMPLAINT_PRIVATE,
    ),
    PublicRead(
        "agency_blacklist",
        "public-api",
        True,
        lambda row: f"/api/v1/public/agency-blacklist/{row.pk}/",
        (DECISION, "evidence", "created_by", "lifted_by", ".pdf"),
    ),
]
PUBLIC_READS = [
    pytest.param(read.name, state, read.label, id=f"{read.name}-{state}-{read.label}")
    for read in PUBLIC
    for state in BY_NAME[read.name].states
]


@pytest.mark.parametrize(("name", "state", "label"), PUBLIC_READS)
def test_a_public_read_answers_everyone_alike_without_the_private_parts(demo, name, state, label):
    """The reads these kinds publish are not refusals to walk: each foreign user gets what an
    anonymous visitor gets (200), and neither gets what only the officials read."""
    read = next(read for read in PUBLIC if (read.name, read.label) == (name, label))
    row = in_state(BY_NAME[name], state)
    if read.prepare is not None:
        read.prepare(row)
    url = read.url(row)
    anonymous = (APIClient() if read.api else Client()).get(url)
    answers = {"anonymous": anonymous}
    answers.update(
        {username: reader(demo[username], api=read.api).get(url) for username in FOREIGN}
    )
    if state in read.shown_in:
        local = reader(demo[read.shown_to], api=read.api).get(url).content.decode()
        assert all(word in local for word in read.private), (read.shown_to, url)

    statuses = {username: response.status_code for username, response in answers.items()}
    assert statuses == dict.fromkeys(answers, 200), url
    leaks = [
        (username, word)
        for username, response in answers.items()
        for word in read.private
        if word in response.content.decode()
    ]
    assert leaks == [], url


# --- the officials' lists: a foreign user's list does not hold the row ---------------------------

LISTS = {
    "application": "/api/v1/applications/",
    "batch": "/api/v1/batches/",
    "cultivation_candidate": "/api/v1/pool/",
    # Without a status the list holds the units on the lists; ``all`` adds the removed ones.
    "listing": "/api/v1/listings/?status=all",
    "complaint": "/api/v1/complaints/",
    "expert_membership": "/api/v1/expert-pool/",
    "organisation": "/api/v1/organisations/",
    "agency_blacklist": "/api/v1/agency-blacklist/",
}


def listed_ids(response) -> set:
    if response.status_code != 200:
        return set()
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row.get("id") for row in rows}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_foreign_users_list_does_not_hold_it(demo, name):
    """A row in each state, read in the API's list (its first page: the control checks that the
    local users find them there, so a row pushed off the page fails loudly, not silently): the
    local users list them, no foreign user does."""
    kind = BY_NAME[name]
    rows = [in_state(kind, state) for state in kind.states]
    url = LISTS[name]
    seen = set()
    for username in kind.control(rows[0]):
        seen |= listed_ids(reader(demo[username], api=True).get(url))
    assert {row.pk for row in rows} <= seen, url

    leaks = {
        username: {row.pk for row in rows} & listed_ids(reader(demo[username], api=True).get(url))
        for username in FOREIGN
    }
    assert {username: ids for username, ids in leaks.items() if ids} == {}
