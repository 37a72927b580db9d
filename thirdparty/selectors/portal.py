"""Queries of the agency portal and of the officials' engagement pages, each in a fixed number
of queries whatever the number of engagements.

- :func:`engagement_list`: the engagements a user may see (agency staff their agency's,
  officials their subtree's, applicants their own applications'), each annotated with its
  third-party report's current version and SHA-256 (subqueries, not one query per row);
- :func:`agency_usage`: the cap counts of an agency — 洛阳 第二十条 per year across the agencies
  of the same legal representative, national-level projects only; 大连 二 per batch for the
  legal entity and its related entities — for the current year and every batch it is engaged
  in, with the caps that reach its engagements there (``governing_caps``) and, where none does,
  why (a 洛阳 city or provincial batch is not counted; 济南 sets no cap).
"""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from applications.models import POLICY_LABELS, Batch, Document, DocumentVersion
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import jurisdiction_q
from greenmfg.core import clock
from greenmfg.directory.models import Level, Organisation
from greenmfg.rules.agency import (
    CAP_LIMIT,
    PER_YEAR_LEGAL_REPRESENTATIVE,
    AgencyCap,
    governing_caps,
    uncounted_note,
)
from greenmfg.rules.registry import policy_of_path
from thirdparty.models import Engagement
from thirdparty.selectors.agencies import (
    BATCH_RULE,
    YEAR_RULE,
    agency_engagements,
    counted_at_levels,
    related_agencies,
    same_representative_agencies,
)

REPORT_KIND = Document.Kind.THIRD_PARTY_REPORT


def may_see_engagements(user) -> bool:
    """The roles with an engagement list: agency staff, applicants, officials, administrators."""
    if not user.is_authenticated:
        return False
    if user.is_official or user.is_sysadmin:
        return True
    return user.role in (Role.AGENCY_STAFF, Role.APPLICANT) and user.organisation_id is not None


def _with_report(queryset: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """Each engagement's third-party report: its current version's number, SHA-256 and time."""
    current = Document.objects.filter(
        application=OuterRef("application"), kind=REPORT_KIND, current__isnull=False
    )
    return queryset.annotate(
        report_version=Subquery(current.values("current__number")[:1]),
        report_sha256=Subquery(current.values("current__sha256")[:1]),
        report_uploaded_at=Subquery(current.values("current__uploaded_at")[:1]),
    )


def engagement_list(*, user) -> QuerySet[Engagement]:
    """The engagements ``user`` may see, with their report columns, newest first.

    Agency staff: their agency's. Officials: those whose application lies in their subtree.
    Applicants: those of their own organisation's applications. Anyone else: none (an expert
    working for an agency does not see its engagements).
    """
    base = Engagement.objects.select_related(
        "agency", "application__organisation", "application__batch", "application__jurisdiction"
    )
    if not may_see_engagements(user):
        return base.none()
    if user.role == Role.AGENCY_STAFF:
        queryset = agency_engagements(user=user).filter(agency_id=user.organisation_id)
    elif user.is_official or user.is_sysadmin:
        queryset = agency_engagements(user=user)
    else:
        queryset = base.filter(application__organisation_id=user.organisation_id)
    return _with_report(queryset.select_related("batch")).order_by("-created_at", "-pk")


def portal_engagement(*, user, pk: int) -> Engagement | None:
    """One of the agency's own engagements (None for anyone else's, or for other roles)."""
    if user.role != Role.AGENCY_STAFF or not user.organisation_id:
        return None
    return engagement_list(user=user).filter(pk=pk).first()


def engagement_batches(*, user) -> QuerySet[Batch]:
    """The batches of the engagements ``user`` sees: the choices of the batch filter."""
    return Batch.objects.filter(
        pk__in=engagement_list(user=user).order_by().values("batch_id")
    ).order_by("-year", "title")


def engaged_agencies(*, user) -> QuerySet[Organisation]:
    """The agencies ``user`` may look at the usage of: agency staff their own; officials those
    registered in, or engaged by applications in, their subtree; applicants those they engaged.
    """
    agencies = Organisation.objects.filter(kind=Organisation.Kind.AGENCY).order_by("name")
    if not may_see_engagements(user):
        return agencies.none()
    if user.role == Role.AGENCY_STAFF:
        return agencies.filter(pk=user.organisation_id)
    engaged = engagement_list(user=user).order_by().values("agency_id")
    if user.is_official or user.is_sysadmin:
        return agencies.filter(Q(pk__in=engaged) | jurisdiction_q(user, field="jurisdiction"))
    return agencies.filter(pk__in=engaged)


def profile_visible_agencies(*, user, agency_ids) -> set[int]:
    """Of ``agency_ids``, the agencies whose profile page an official may open (those
    registered in the official's subtree): one query."""
    if not user.is_authenticated or not (user.is_official or user.is_sysadmin):
        return set()
    return set(
        Organisation.objects.filter(kind=Organisation.Kind.AGENCY, pk__in=set(agency_ids))
        .filter(jurisdiction_q(user, field="jurisdiction"))
        .values_list("pk", flat=True)
    )


def report_versions(*, application_id: int) -> QuerySet[DocumentVersion]:
    """Every version of the application's third-party report (only that document), newest
    first, with who uploaded it."""
    return (
        DocumentVersion.objects.filter(
            document__application_id=application_id, document__kind=REPORT_KIND
        )
        .select_related("uploaded_by__organisation")
        .order_by("-number")
    )


def report_version_for_agency(*, user, pk: int) -> DocumentVersion | None:
    """A version of a third-party report on one of the agency's active engagements."""
    if user.role != Role.AGENCY_STAFF or not user.organisation_id:
        return None
    return (
        DocumentVersion.objects.filter(
            pk=pk,
            document__kind=REPORT_KIND,
            document__application__engagements__agency_id=user.organisation_id,
            document__application__engagements__status=Engagement.Status.ACTIVE,
        )
        .distinct()
        .first()
    )


# --- cap usage --------------------------------------------------------------------------------


@dataclass
class CapUsage:
    """One cap that reaches the agency's engagements in a batch, and its count."""

    cap: AgencyCap
    used: int

    @property
    def left(self) -> int:
        return max(self.cap.limit - self.used, 0)

    @property
    def full(self) -> bool:
        return self.used >= self.cap.limit


@dataclass
class BatchUsage:
    """One batch the agency is engaged in."""

    batch: Batch
    own: int  # the agency's own counted, active engagements in the batch
    batch_used: int  # 大连 二's count: the legal entity and its related entities, this batch
    year_used: int  # 洛阳 第二十条's count for the batch's year (national-level batches only)
    caps: list[CapUsage] = field(default_factory=list)  # the caps that reach it (济南: none)
    note: str = ""  # where no cap reaches it: why (not counted at this level, or none set)

    @property
    def policy_label(self) -> str:
        return str(POLICY_LABELS.get(self.batch.policy, self.batch.policy))

    @property
    def level_label(self) -> str:
        return str(Level(self.batch.level).label)

    @property
    def counted_in_year(self) -> bool:
        """Do this batch's projects count toward 洛阳 第二十条's yearly count?"""
        return YEAR_RULE.counts_level(self.batch.level)

    @property
    def binding(self) -> CapUsage | None:
        """The cap with the fewest places left: the one that refuses first."""
        return min(self.caps, key=lambda usage: usage.left, default=None)

    @property
    def cap(self) -> AgencyCap | None:
        return self.binding.cap if self.binding else None

    @property
    def used(self) -> int | None:
        """The count under the binding cap, or None when no cap reaches the batch."""
        return self.binding.used if self.binding else None

    @property
    def left(self) -> int | None:
        return self.binding.left if self.binding else None

    @property
    def full(self) -> bool:
        return any(usage.full for usage in self.caps)


@dataclass
class AgencyUsage:
    agency: Organisation
    year: int
    year_used: int  # 洛阳 第二十条: national projects of the same legal representative this year
    representative_agencies: list[str]  # names of the agencies counted together per year
    related_agencies: list[str]  # names of the agencies counted together per batch
    batches: list[BatchUsage] = field(default_factory=list)
    limit: int = CAP_LIMIT
    year_rule: AgencyCap = YEAR_RULE
    batch_rule: AgencyCap = BATCH_RULE

    @property
    def year_left(self) -> int:
        return max(self.limit - self.year_used, 0)


def _counted() -> QuerySet[Engagement]:
    return Engagement.objects.filter(status=Engagement.Status.ACTIVE, counted=True)


def agency_usage(*, agency: Organisation, year: int | None = None) -> AgencyUsage:
    """The agency's cap counts, in a fixed number of queries.

    The same counts as :func:`thirdparty.selectors.agencies.year_usage` and ``batch_usage``, but the
    groups are read once and the counts of every batch come from one grouped query each. The
    caps of a batch are those that reach the agency's engagements there: the batch's policy's,
    and 洛阳 第二十条 in a national batch where the agency or one of the units it evaluates
    there is in 洛阳 (as :func:`thirdparty.services.agencies.cap_refusals` decides).
    """
    year = year or clock.today().year
    by_representative = same_representative_agencies(agency_id=agency.pk)
    by_relation = related_agencies(agency_id=agency.pk)
    names = dict(
        Organisation.objects.filter(pk__in=by_representative | by_relation).values_list(
            "pk", "name"
        )
    )
    own = Engagement.objects.filter(agency_id=agency.pk, status=Engagement.Status.ACTIVE)
    # The cities of the units the agency evaluates in each batch, for the caps that follow them
    # (the engagement's own county is its application's: no join to the applications).
    unit_policies: dict[int, set[str]] = {}
    for batch_id, path in own.order_by().values_list("batch_id", "jurisdiction__path").distinct():
        unit_policies.setdefault(batch_id, set()).add(policy_of_path(path))
    agency_policy = policy_of_path(agency.jurisdiction.path)
    batches = list(
        Batch.objects.filter(pk__in=list(unit_policies))
        .select_related("jurisdiction")
        .order_by("-year", "-submission_deadline", "-pk")
    )
    batch_ids = [batch.pk for batch in batches]
    years = {batch.year for batch in batches} | {year}
    per_year = dict(
        counted_at_levels(
            _counted().filter(agency_id__in=by_representative, year__in=years), YEAR_RULE
        )
        .order_by()
        .values("year")
        .annotate(total=Count("id"))
        .values_list("year", "total")
    )
    per_batch = {
        row["batch_id"]: row
        for row in _counted()
        .filter(agency_id__in=by_relation, batch_id__in=batch_ids)
        .order_by()
        .values("batch_id")
        .annotate(total=Count("id"), own=Count("id", filter=Q(agency_id=agency.pk)))
    }
    rows = []
    for batch in batches:
        batch_used = per_batch.get(batch.pk, {}).get("total", 0)
        year_used = per_year.get(batch.year, 0)
        caps = governing_caps(
            batch_policy=batch.policy,
            batch_level=batch.level,
            local_policies={agency_policy, *unit_policies.get(batch.pk, ())},
        )
        rows.append(
            BatchUsage(
                batch=batch,
                own=per_batch.get(batch.pk, {}).get("own", 0),
                batch_used=batch_used,
                year_used=year_used,
                caps=[
                    CapUsage(
                        cap=cap,
                        used=year_used
                        if cap.scope == PER_YEAR_LEGAL_REPRESENTATIVE
                        else batch_used,
                    )
                    for cap in caps
                ],
                note="" if caps else uncounted_note(batch.policy, batch.level),
            )
        )
    return AgencyUsage(
        agency=agency,
        year=year,
        year_used=per_year.get(year, 0),
        representative_agencies=sorted(names[pk] for pk in by_representative if pk in names),
        related_agencies=sorted(names[pk] for pk in by_relation if pk in names),
        batches=rows,
    )


def usage_year(value) -> int:
    """A year from a query string, or the current one."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return clock.today().year
    return year if 2000 <= year <= 2100 else clock.today().year
