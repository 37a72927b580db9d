"""待办 (inbox): what each role has to do next, as counts with a link and the nearest deadline.

Every inbox costs a fixed number of queries whatever the amount of work: the counts are
aggregates (``Count(filter=Q(...))``) grouped at most by batch, never a query per row. Officials
are scoped with :mod:`greenmfg.accounts.scoping`; a county counts only its own subtree, a batch
authority only the batches its bureau opened, a department only what was sent to it, an expert
only their own assignments and an applicant only its own applications.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Batch, BatchQuota
from applications.selectors.batches import batch_list, open_batches_for
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import jurisdiction_q, scope_queryset, scope_root
from greenmfg.audit.models import AuditEntry
from greenmfg.core import clock
from greenmfg.core.queries import count_per
from greenmfg.rules.reports import round_end
from reviews.models import ExpertAssignment, Objection, OnsiteCheck, OpinionRequest, Publicity
from reviews.selectors.review import RECOMMENDED_STATES

S = Application.Status
A = ExpertAssignment.Status
SCORING_STATES = (S.EXPERT_REVIEW, S.ONSITE_CHECK)
AUTHORITY_ROLES = frozenset({Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL})
RETURNED_SHOWN = 10


# --- the shapes the dashboard shows -----------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A date or a date and time, as text, and whether it has passed (said in words too)."""

    value: date | datetime
    text: str
    overdue: bool
    days_left: int


@dataclass(frozen=True)
class InboxItem:
    key: str
    label: str
    count: int
    url: str
    deadline: Deadline | None = None
    deadline_label: str = ""
    note: str = ""
    # The item itself is a warning (e.g. overdue opinions) when it has a count.
    urgent: bool = False
    # False for a part of another item (the overdue among the pending): not added to the total.
    counted: bool = True
    # What a passed deadline means for this item, when not simply 已逾期.
    overdue_text: str = ""


@dataclass
class Inbox:
    role: str
    items: list[InboxItem] = field(default_factory=list)
    batches: list[dict] = field(default_factory=list)
    publicities: list[dict] = field(default_factory=list)
    returned: list[dict] = field(default_factory=list)
    # A listed unit's annual tables (dynamic_mgmt FilingRow), to do first: the 待办 item counts
    # them and the dashboard's 动态管理表 panel lists them.
    filings: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items if item.counted)

    def item(self, key: str) -> InboxItem:
        return next(item for item in self.items if item.key == key)


def deadline_of(value, *, now: datetime | None = None) -> Deadline | None:
    """``value`` (a datetime or a date) with its text and whether it has passed."""
    if value is None:
        return None
    now = now or clock.now()
    today = timezone.localdate(now)
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return Deadline(
            value=value,
            text=local.strftime("%Y-%m-%d %H:%M"),
            overdue=value < now,
            days_left=(local.date() - today).days,
        )
    return Deadline(
        value=value,
        text=value.strftime("%Y-%m-%d"),
        overdue=value < today,
        days_left=(value - today).days,
    )


def _nearest(values) -> date | datetime | None:
    present = [value for value in values if value is not None]
    return min(present) if present else None


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _applications_url(**query) -> str:
    return _url("applications:application-list", **query)


# --- 县（区）工信部门 ---------------------------------------------------------------------------


def county_inbox(*, user, now: datetime | None = None) -> Inbox:
    """Submitted applications to start reviewing, those in review, the departments' pending
    opinions (overdue ones apart) and, per batch, the recommendation deadline and the quota.

    Two queries: the batches with their counts and quota, and the opinions.
    """
    now = now or clock.now()
    today = timezone.localdate(now)
    inbox = Inbox(role=Role.COUNTY_OFFICIAL)
    root = scope_root(user)
    if root is None:
        return inbox
    keys = [*root.ancestor_keys, root.key]
    quota = BatchQuota.objects.filter(batch=OuterRef("pk"), county__key__in=keys).order_by(
        "-county__path"
    )
    used = Application.objects.filter(
        batch=OuterRef("pk"),
        status__in=RECOMMENDED_STATES,
        jurisdiction__path__startswith=OuterRef("quota_path"),
    )
    batches = (
        batch_list(user=user)
        .exclude(status=Batch.Status.DRAFT)
        .annotate(
            # Counted per batch in subqueries: a join to the applications would make one row of
            # every application of the city's batches before grouping.
            submitted=_count_in_scope(user, S.SUBMITTED),
            in_review=_count_in_scope(user, S.COUNTY_REVIEW),
            quota=Subquery(quota.values("quota")[:1], output_field=IntegerField()),
            quota_path=Subquery(quota.values("county__path")[:1]),
            quota_place=Subquery(quota.values("county__name")[:1]),
        )
        .annotate(used=count_per(used, per="batch"))
        .filter(Q(status=Batch.Status.OPEN) | Q(submitted__gt=0) | Q(in_review__gt=0))
        .order_by(F("recommendation_deadline").asc(nulls_last=True), "submission_deadline", "pk")
    )
    for batch in batches:
        left = None if batch.quota is None else max(batch.quota - batch.used, 0)
        inbox.batches.append(
            {
                "batch": batch,
                "submitted": batch.submitted,
                "in_review": batch.in_review,
                "quota": batch.quota,
                "used": batch.used if batch.quota is not None else None,
                "left": left,
                # A province's or the nation's quota may be the city's, shared by its counties.
                "place": batch.quota_place if batch.quota_path != root.path else "",
                "deadline": deadline_of(batch.recommendation_deadline, now=now),
                "accepts": batch.accepts_recommendations(at=now),
                "review_url": _applications_url(batch=batch.pk, status=S.COUNTY_REVIEW),
                "bulk_url": reverse("reviews:bulk-recommend", args=[batch.pk]),
            }
        )
    opinions = OpinionRequest.objects.filter(
        jurisdiction_q(user, field="application__jurisdiction")
    ).aggregate(
        pending=Count("pk", filter=Q(status=OpinionRequest.Status.PENDING)),
        overdue=Count("pk", filter=Q(status=OpinionRequest.Status.PENDING, due_date__lt=today)),
        nearest=_min_due(),
    )
    rows = inbox.batches
    recommend_label = _("推荐截止")
    inbox.items = [
        InboxItem(
            key="submitted",
            label=_("已提交、待开始初审的申报"),
            count=sum(row["submitted"] for row in rows),
            url=_applications_url(status=S.SUBMITTED),
            deadline=deadline_of(
                _nearest(r["batch"].recommendation_deadline for r in rows if r["submitted"]),
                now=now,
            ),
            deadline_label=recommend_label,
        ),
        InboxItem(
            key="county_review",
            label=_("初审中的申报"),
            count=sum(row["in_review"] for row in rows),
            url=_applications_url(status=S.COUNTY_REVIEW),
            deadline=deadline_of(
                _nearest(r["batch"].recommendation_deadline for r in rows if r["in_review"]),
                now=now,
            ),
            deadline_label=recommend_label,
        ),
        InboxItem(
            key="opinions_pending",
            label=_("待部门回复的征求意见"),
            count=opinions["pending"],
            url=_url("reviews:opinion-list", status=OpinionRequest.Status.PENDING),
            deadline=deadline_of(opinions["nearest"], now=now),
            deadline_label=_("回复期限"),
        ),
        InboxItem(
            key="opinions_overdue",
            label=_("已过回复期限仍未回复的征求意见"),
            count=opinions["overdue"],
            url=_url("reviews:opinion-list", status=OpinionRequest.Status.PENDING),
            urgent=True,
            counted=False,
        ),
    ]
    return inbox


def _count_in_scope(user, status: str) -> Coalesce:
    """The batch's applications in ``status`` within the user's jurisdiction (0 when none)."""
    return count_per(
        Application.objects.filter(
            jurisdiction_q(user, field="jurisdiction"), batch=OuterRef("pk"), status=status
        ),
        per="batch",
    )


def _min_due():
    return Min("due_date", filter=Q(status=OpinionRequest.Status.PENDING))


# --- 批次组织单位（市、省、国家工信部门） ------------------------------------------------


def is_authority_user(user) -> bool:
    return (
        user.is_authenticated
        and user.effective_role in AUTHORITY_ROLES
        and user.organisation_id is not None
    )


def _authority_applications(user):
    """The applications of the batches the user's bureau opened, within its jurisdiction."""
    return Application.objects.filter(
        jurisdiction_q(user, field="jurisdiction"), batch__authority_id=user.organisation_id
    )


def authority_inbox(*, user, now: datetime | None = None) -> Inbox:
    """The review work of the batches the user's bureau opened, per batch, and its publicities.

    Three queries: the applications per batch (with panel, sheet and on-site annotations), the
    expert assignments per batch, and the publicities with their pending objections.
    """
    now = now or clock.now()
    inbox = Inbox(role=user.effective_role)
    if not is_authority_user(user):
        return inbox
    on_panel = ExpertAssignment.objects.filter(application=OuterRef("pk")).exclude(
        status=A.WITHDRAWN
    )
    annotated = (
        _authority_applications(user)
        .filter(status__in=(S.RECOMMENDED, *SCORING_STATES, S.PASSED))
        .annotate(
            panel=count_per(on_panel, per="application"),
            outstanding=count_per(on_panel.filter(status=A.ASSIGNED), per="application"),
            checked=Exists(OnsiteCheck.objects.filter(application=OuterRef("pk"))),
        )
    )
    decidable = Q(status__in=SCORING_STATES, panel__gt=0, outstanding=0) & (
        Q(status=S.EXPERT_REVIEW) | Q(checked=True)
    )
    rows = (
        annotated.order_by()
        .values(
            "batch_id",
            "batch__title",
            "batch__scoring_deadline",
            "batch__experts_per_application",
            "batch__policy",
            "batch__jurisdiction__level",
        )
        .annotate(
            recommended=Count("pk", filter=Q(status=S.RECOMMENDED)),
            panel_incomplete=Count(
                "pk",
                filter=Q(status=S.EXPERT_REVIEW, panel__lt=F("batch__experts_per_application")),
            ),
            ready=Count("pk", filter=decidable),
            onsite_pending=Count("pk", filter=Q(status=S.ONSITE_CHECK, checked=False)),
            passed=Count("pk", filter=Q(status=S.PASSED)),
        )
        .order_by(F("batch__scoring_deadline").asc(nulls_last=True), "batch_id")
    )
    sheets = {
        row["application__batch_id"]: row
        for row in ExpertAssignment.objects.filter(
            application__in=_authority_applications(user).filter(status__in=SCORING_STATES)
        )
        .exclude(status=A.WITHDRAWN)
        .order_by()
        .values("application__batch_id")
        .annotate(expected=Count("pk"), submitted=Count("pk", filter=Q(status=A.SUBMITTED)))
    }
    for row in rows:
        batch_id = row["batch_id"]
        sheet_row = sheets.get(batch_id, {})
        # 大连 一: a round that keeps no list ends in its recommendation, not in a publicity.
        recommends = not round_end(row["batch__policy"], row["batch__jurisdiction__level"]).lists
        inbox.batches.append(
            {
                "batch_id": batch_id,
                "title": row["batch__title"],
                "deadline": deadline_of(row["batch__scoring_deadline"], now=now),
                "scoring_deadline": row["batch__scoring_deadline"],
                "recommended": row["recommended"],
                "panel_incomplete": row["panel_incomplete"],
                "sheets_submitted": sheet_row.get("submitted", 0),
                "sheets_expected": sheet_row.get("expected", 0),
                "ready": row["ready"],
                "onsite_pending": row["onsite_pending"],
                "passed": row["passed"],
                "batch_url": reverse("applications:batch-detail", args=[batch_id]),
                "start_url": reverse("reviews:bulk-start-review", args=[batch_id]),
                "decide_url": reverse("reviews:bulk-decide", args=[batch_id]),
                "recommends": recommends,
                "publicity_url": reverse(
                    "reviews:round-recommend" if recommends else "reviews:publicity-start",
                    args=[batch_id],
                ),
            }
        )
    publicities = (
        Publicity.objects.filter(batch__authority_id=user.organisation_id)
        .filter(jurisdiction_q(user, field="batch__jurisdiction"))
        .select_related("batch")
        .annotate(
            pending=Count(
                "items__objections",
                filter=Q(items__objections__status=Objection.Status.PENDING),
            )
        )
        .filter(Q(status__in=[Publicity.Status.OPEN, Publicity.Status.ENDED]) | Q(pending__gt=0))
        .order_by("ends_on", "pk")
    )
    for publicity in publicities:
        is_open = publicity.status == Publicity.Status.OPEN
        inbox.publicities.append(
            {
                "publicity": publicity,
                "batch": publicity.batch,
                "is_open": is_open,
                "deadline": deadline_of(publicity.ends_on, now=now) if is_open else None,
                "pending": publicity.pending,
                "url": reverse("reviews:publicity-manage", args=[publicity.pk]),
            }
        )
    batches = inbox.batches
    scoring_label = _("评分截止")

    def total(key: str) -> int:
        return sum(row[key] for row in batches)

    def nearest(key: str) -> Deadline | None:
        return deadline_of(
            _nearest(row["scoring_deadline"] for row in batches if row[key]), now=now
        )

    expected, submitted = total("sheets_expected"), total("sheets_submitted")
    open_publicities = [row for row in inbox.publicities if row["is_open"]]
    inbox.items = [
        InboxItem(
            key="recommended",
            label=_("已推荐、待开始专家评审"),
            count=total("recommended"),
            url=_applications_url(status=S.RECOMMENDED),
            deadline=nearest("recommended"),
            deadline_label=scoring_label,
        ),
        InboxItem(
            key="panel_incomplete",
            label=_("专家评审中、评审组不完整"),
            count=total("panel_incomplete"),
            url=_applications_url(status=S.EXPERT_REVIEW),
            deadline=nearest("panel_incomplete"),
            deadline_label=scoring_label,
            urgent=True,
        ),
        InboxItem(
            key="sheets",
            label=_("待专家提交的评分表"),
            count=expected - submitted,
            url=_applications_url(status=S.EXPERT_REVIEW),
            deadline=deadline_of(
                _nearest(
                    row["scoring_deadline"]
                    for row in batches
                    if row["sheets_expected"] > row["sheets_submitted"]
                ),
                now=now,
            ),
            deadline_label=scoring_label,
            note=_("已提交 %(submitted)d / 应提交 %(expected)d 份")
            % {"submitted": submitted, "expected": expected},
            # The experts' work, shown to follow it up: not the authority's own to do.
            counted=False,
        ),
        InboxItem(
            key="ready",
            label=_("评分已齐、可作出评审决定"),
            count=total("ready"),
            url=_applications_url(status=S.EXPERT_REVIEW),
        ),
        InboxItem(
            key="onsite_pending",
            label=_("已安排现场核查、待录入结果"),
            count=total("onsite_pending"),
            url=_applications_url(status=S.ONSITE_CHECK),
        ),
        InboxItem(
            key="publicity_open",
            label=_("公示中的名单"),
            count=len(open_publicities),
            url=open_publicities[0]["url"] if open_publicities else _url("reviews:publicity-list"),
            deadline=deadline_of(
                _nearest(row["publicity"].ends_on for row in open_publicities), now=now
            ),
            deadline_label=_("公示截止"),
            overdue_text=_("公示期已满，待发布名单"),
        ),
        InboxItem(
            key="objections",
            label=_("待处理的公示异议"),
            count=sum(row["pending"] for row in inbox.publicities),
            url=next(
                (row["url"] for row in inbox.publicities if row["pending"]),
                _url("reviews:publicity-list"),
            ),
            urgent=True,
        ),
        InboxItem(
            key="passed",
            label=_("评审通过、尚未公示（或推荐至上级）"),
            count=total("passed"),
            url=_applications_url(status=S.PASSED),
        ),
    ]
    return inbox


# --- 征求意见部门 -------------------------------------------------------------------------------


def department_inbox(*, user, now: datetime | None = None) -> Inbox:
    """The opinion requests sent to the user's department and not answered yet (one query)."""
    now = now or clock.now()
    today = timezone.localdate(now)
    inbox = Inbox(role=Role.DEPARTMENT_OFFICIAL)
    if user.role != Role.DEPARTMENT_OFFICIAL or not user.organisation_id:
        return inbox
    counts = OpinionRequest.objects.filter(department_id=user.organisation_id).aggregate(
        pending=Count("pk", filter=Q(status=OpinionRequest.Status.PENDING)),
        overdue=Count("pk", filter=Q(status=OpinionRequest.Status.PENDING, due_date__lt=today)),
        nearest=_min_due(),
    )
    url = _url("reviews:opinion-list", status=OpinionRequest.Status.PENDING)
    inbox.items = [
        InboxItem(
            key="opinions_pending",
            label=_("待回复的征求意见"),
            count=counts["pending"],
            url=url,
            deadline=deadline_of(counts["nearest"], now=now),
            deadline_label=_("回复期限"),
        ),
        InboxItem(
            key="opinions_overdue",
            label=_("已过回复期限的征求意见"),
            count=counts["overdue"],
            url=url,
            urgent=True,
            counted=False,
        ),
    ]
    return inbox


# --- 评审专家 -----------------------------------------------------------------------------------


def expert_inbox(*, user, now: datetime | None = None) -> Inbox:
    """The expert's own assignments still to score, per batch with its scoring deadline."""
    now = now or clock.now()
    inbox = Inbox(role=Role.EXPERT)
    if not user.is_authenticated or user.role != Role.EXPERT:
        return inbox
    rows = (
        ExpertAssignment.objects.filter(
            expert_id=user.pk, status=A.ASSIGNED, application__status__in=SCORING_STATES
        )
        .order_by()
        .values(
            "application__batch_id",
            "application__batch__title",
            "application__batch__scoring_deadline",
        )
        .annotate(total=Count("pk"))
        .order_by(F("application__batch__scoring_deadline").asc(nulls_last=True))
    )
    url = _url("reviews:expert-task-list", status=A.ASSIGNED)
    for row in rows:
        inbox.batches.append(
            {
                "batch_id": row["application__batch_id"],
                "title": row["application__batch__title"],
                "count": row["total"],
                "scoring_deadline": row["application__batch__scoring_deadline"],
                "deadline": deadline_of(row["application__batch__scoring_deadline"], now=now),
                "url": url,
            }
        )
    inbox.items = [
        InboxItem(
            key="to_score",
            label=_("待评分的评审任务"),
            count=sum(row["count"] for row in inbox.batches),
            url=url,
            deadline=deadline_of(
                _nearest(row["scoring_deadline"] for row in inbox.batches), now=now
            ),
            deadline_label=_("评分截止"),
        )
    ]
    return inbox


# --- 申报单位 -----------------------------------------------------------------------------------


def applicant_inbox(*, user, now: datetime | None = None) -> Inbox:
    """The applicant's drafts and returned applications (with the reason) and the submission
    deadlines of the open batches that cover it. Five queries. A listed unit's annual tables
    join these in the portal's inbox (:mod:`greenmfg.portal.inbox`)."""
    now = now or clock.now()
    inbox = Inbox(role=Role.APPLICANT)
    if not user.is_authenticated or user.role != Role.APPLICANT or not user.organisation_id:
        return inbox
    own = scope_queryset(
        Application.objects.all(),
        user,
        jurisdiction_field="jurisdiction",
        organisation_field="organisation",
    )
    rows = {
        row["status"]: row
        for row in own.filter(status__in=(S.DRAFT, S.RETURNED))
        .order_by()
        .values("status")
        .annotate(total=Count("pk"), nearest=_min_submission())
    }
    returned = list(
        own.filter(status=S.RETURNED)
        .select_related("batch")
        .order_by("batch__submission_deadline", "-updated_at", "pk")[:RETURNED_SHOWN]
    )
    reasons: dict[str, str] = {}
    if returned:
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id__in=[str(application.pk) for application in returned],
            action="return",
        ).order_by("-at", "-id")
        for object_id, comment in entries.values_list("object_id", "comment"):
            reasons.setdefault(object_id, comment)
    for application in returned:
        inbox.returned.append(
            {
                "application": application,
                "reason": reasons.get(str(application.pk), ""),
                "deadline": deadline_of(application.batch.submission_deadline, now=now),
                "editable": application.is_editable,
            }
        )
    for batch in open_batches_for(organisation=user.organisation):
        inbox.batches.append(
            {"batch": batch, "deadline": deadline_of(batch.submission_deadline, now=now)}
        )
    submission_label = _("申报截止")
    inbox.items = [
        InboxItem(
            key="draft",
            label=_("草稿，待提交的申报"),
            count=rows.get(S.DRAFT, {}).get("total", 0),
            url=_applications_url(status=S.DRAFT),
            deadline=deadline_of(rows.get(S.DRAFT, {}).get("nearest"), now=now),
            deadline_label=submission_label,
        ),
        InboxItem(
            key="returned",
            label=_("被退回、待修改后重新提交的申报"),
            count=rows.get(S.RETURNED, {}).get("total", 0),
            url=_applications_url(status=S.RETURNED),
            deadline=deadline_of(rows.get(S.RETURNED, {}).get("nearest"), now=now),
            deadline_label=submission_label,
            urgent=True,
        ),
    ]
    return inbox


def _min_submission():
    return Min("batch__submission_deadline")


# --- 批量办理: what a bulk page lists ------------------------------------------------------------


def county_quota(*, user, batch: Batch) -> dict:
    """The county's recommendation quota in ``batch`` (a ceiling) and how much of it is used.

    Two queries. ``quota`` is None when the batch gave the county's area no quota.
    """
    root = scope_root(user)
    keys = [*root.ancestor_keys, root.key] if root is not None else []
    row = (
        BatchQuota.objects.filter(batch=batch, county__key__in=keys)
        .select_related("county")
        .order_by("-county__path")
        .first()
    )
    if row is None:
        return {"quota": None, "used": None, "left": None, "place": None}
    used = Application.objects.filter(
        batch=batch, status__in=RECOMMENDED_STATES, jurisdiction__path__startswith=row.county.path
    ).count()
    return {
        "quota": row.quota,
        "used": used,
        "left": max(row.quota - used, 0),
        "place": row.county,
    }


def recommend_candidates(*, user, batch: Batch):
    """The county's applications in initial review in ``batch``, in the county's ranking order
    (unranked last), with the opinions still pending. One query."""
    return (
        Application.objects.filter(batch=batch, status=S.COUNTY_REVIEW)
        .filter(jurisdiction_q(user, field="jurisdiction"))
        .select_related("organisation", "jurisdiction", "county_review")
        .annotate(
            pending_opinions=Count(
                "opinion_requests",
                filter=Q(opinion_requests__status=OpinionRequest.Status.PENDING),
            )
        )
        .order_by(F("county_review__rank").asc(nulls_last=True), "pk")
    )


def start_review_candidates(*, user, batch: Batch):
    """The recommended applications of ``batch`` (its authority's), with their panel size."""
    panel = ExpertAssignment.objects.filter(application=OuterRef("pk")).exclude(status=A.WITHDRAWN)
    return (
        Application.objects.filter(batch=batch, status=S.RECOMMENDED)
        .filter(jurisdiction_q(user, field="jurisdiction"))
        .select_related("organisation", "jurisdiction")
        .annotate(panel=count_per(panel, per="application"))
        .order_by("jurisdiction__path", "organisation__name", "pk")
    )
