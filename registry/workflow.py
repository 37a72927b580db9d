"""名单 and 举报: the registry's transition tables.

The listing's table: a listed unit's states and the events of its public history.

Every change of a listing — its status or a fact the public reads (name, validity, removal
date) — is one of these events and goes through ``registry.services.listing.listing_transition`` (or
its set-based twin for the nightly sweeps), which writes the history entry the public reads
(``ListingEvent``) and the audit row. Which official exactly may act (the subtree of the unit
for its history, the publishing authority for a removal) is checked by the command that
calls the door; the table says which roles may act at all, and from which state.
"""

from django.utils.translation import gettext_lazy as _

from greenmfg.accounts.roles import OFFICIAL_ROLES, Role
from greenmfg.core.workflow import Transition, Workflow
from registry.models import Complaint, Listing, ListingEvent

S = Listing.Status
K = ListingEvent.Kind
# Before "list" the unit is on no list: the source state of the listing's first event.
NEW = ""
# The nightly sweeps act without a user (dynamic_mgmt/schedule.py).
SERVICE = "service"
OFFICIALS = frozenset({*OFFICIAL_ROLES, Role.SYSADMIN})
OFFICIALS_OR_SERVICE = frozenset({*OFFICIALS, SERVICE})

LIST = "list"
IMPORT = "import"
RENAME = "name_change"
CHANGE_BOUNDARY = "boundary_change"
CHANGE_SCOPE = "scope_change"
START_RE_REVIEW = "start_re_review"
PASS_RE_REVIEW = "pass_re_review"
EXTEND = "extend"
FAIL_RE_REVIEW = "fail_re_review"
REMOVE = "remove"

# The history entry each event writes: what the public page shows.
EVENT_KINDS = {
    LIST: K.LISTED,
    IMPORT: K.IMPORTED,
    RENAME: K.NAME_CHANGE,
    CHANGE_BOUNDARY: K.BOUNDARY_CHANGE,
    CHANGE_SCOPE: K.SCOPE_CHANGE,
    START_RE_REVIEW: K.RE_REVIEW,
    PASS_RE_REVIEW: K.RE_REVIEW,
    EXTEND: K.EXTENDED,
    FAIL_RE_REVIEW: K.RE_REVIEW,
    REMOVE: K.REMOVED,
}
# The audit trail has always named a listing's entries by the history kind ("list" for the
# first); the trail keeps those names so that it reads the same before and after.
AUDIT_ACTIONS = {**{event: str(kind) for event, kind in EVENT_KINDS.items()}, LIST: "list"}

STATES = {NEW: _("未列入名单"), **dict(S.choices)}
STATE_LABELS = dict(S.choices)
IN_FORCE = (S.ACTIVE, S.UNDER_REVIEW)


def _on_the_list(action: str, target: str | None, roles: frozenset, label, **options):
    """The same event from each state in force; ``target=None`` keeps the state."""
    return [
        Transition(state, action, target or state, roles, label, **options) for state in IN_FORCE
    ]


listing_workflow = Workflow(
    "listing",
    states=STATES,
    role_labels={**dict(Role.choices), SERVICE: _("系统")},
    transitions=[
        # 发布名单 (reviews/services/publicity.py): the authority publishes its list.
        Transition(NEW, LIST, S.ACTIVE, OFFICIALS, _("列入名单")),
        # 导入 (registry/services/imports.py): a unit already on a published list, entered
        # from a spreadsheet with its document number; managed like any other from then on.
        Transition(NEW, IMPORT, S.ACTIVE, OFFICIALS, _("导入名单"), by_service=True),
        # 名称、边界、范围或地址变更 (洛阳 第十九条; 济南 第十六条, 第二十条): recorded;
        # the status is kept.
        *_on_the_list(RENAME, None, OFFICIALS, _("名称变更")),
        *_on_the_list(CHANGE_BOUNDARY, None, OFFICIALS, _("边界变更")),
        *_on_the_list(CHANGE_SCOPE, None, OFFICIALS, _("范围或地址变更")),
        # 复审 (济南 第十五条): started by an official or, when the term ends, by the sweep.
        Transition(S.ACTIVE, START_RE_REVIEW, S.UNDER_REVIEW, OFFICIALS_OR_SERVICE, _("启动复审")),
        # The term ends while an official's re-review is already open: the sweep still records
        # the start of the term's case.
        Transition(
            S.UNDER_REVIEW,
            START_RE_REVIEW,
            S.UNDER_REVIEW,
            frozenset({SERVICE}),
            _("启动复审"),
            by_service=True,
        ),
        *_on_the_list(PASS_RE_REVIEW, S.ACTIVE, OFFICIALS, _("复审通过")),
        *_on_the_list(EXTEND, S.ACTIVE, OFFICIALS, _("复审通过，延长有效期")),
        # A failed re-review leaves the unit under re-review; its removal is a proposal's.
        *_on_the_list(
            FAIL_RE_REVIEW, S.UNDER_REVIEW, OFFICIALS, _("复审未通过"), needs_comment=True
        ),
        # 移出名单 (dynamic_mgmt/services/removal.py removal_decide): nothing follows it.
        *_on_the_list(REMOVE, S.REMOVED, OFFICIALS, _("移出名单"), needs_comment=True),
    ],
)


def role_of(actor) -> str:
    """The role the table checks: the sweeps act as the service, without a user."""
    return actor.effective_role if actor is not None else SERVICE


# --- 举报办理 (洛阳 第二十一条, 济南 第二十一条) ----------------------------------------------
# A complaint is received when the public files it; the handling bureau (the county of the unit,
# the city where the complainant filed there, or the bureau of the agency's jurisdiction) or one
# above it starts verifying it, and closes it with an outcome and a note. Who may act on which
# complaint (the jurisdiction) is checked by the service (complaint_services).

C = Complaint.Status
# 县区工业和信息化主管部门或市工业和信息化局 (and the bureaus above them) handle complaints;
# administrators keep the system, they do not verify complaints.
HANDLERS = frozenset(OFFICIAL_ROLES)

complaint_workflow = Workflow(
    "complaint",
    states=dict(C.choices),
    role_labels=dict(Role.choices),
    transitions=[
        Transition(C.RECEIVED, "verify", C.VERIFYING, HANDLERS, _("开始核实")),
        Transition(C.VERIFYING, "close", C.CLOSED, HANDLERS, _("办结"), needs_comment=True),
    ],
)
