"""Queries of the agencies' qualification profiles (大连 二): who sees which agency, its roster
counts, and the facts :func:`greenmfg.rules.agency.agency_qualification` judges.

The counts come as correlated subqueries on the agency row, so an agency page and a list of any
length both cost a constant number of queries:

- 从事绿色评价的中级职称以上专职人员: full-time, doing green evaluation, intermediate or senior;
- 其中相关专业高级职称人员: of those, senior in energy, environment, ecology, low carbon or
  life-cycle assessment (:data:`greenmfg.rules.agency.SENIOR_FIELDS`);
- 近五年业绩: experience records of the current year and the four years before it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from greenmfg.accounts.roles import OFFICIAL_ROLE_BY_LEVEL, OFFICIAL_ROLES, Role
from greenmfg.accounts.scoping import jurisdiction_q
from greenmfg.core import clock
from greenmfg.core.queries import count_per
from greenmfg.directory.models import LEVEL_DEPTH, Organisation
from greenmfg.rules.agency import (
    MIN_GREEN_STAFF,
    MIN_SENIOR_STAFF,
    SENIOR_FIELDS,
    agency_qualification,
)
from greenmfg.rules.base import Finding, Verdict
from thirdparty.models import (
    AgencyProfile,
    ExperienceRecord,
    RelatedEntity,
    StaffMember,
    TitleLevel,
)

User = get_user_model()

RECENT_YEARS = 5
QUALIFIED_TITLES = (TitleLevel.INTERMEDIATE, TitleLevel.SENIOR)
DECLARATIONS = (
    "independent_legal_entity",
    "has_fixed_office",
    "has_finance_system",
    "staff_compliance",
    "evaluation_capability",
)
# The annotations :func:`with_qualification_counts` adds to an agency row.
COUNT_NAMES = ("staff_total", "green_staff_count", "senior_staff_count", "recent_experience_count")


def recent_years(today: datetime.date | None = None) -> tuple[int, int]:
    """近五年: the current year and the four years before it, as (first, last)."""
    year = (today or clock.today()).year
    return year - RECENT_YEARS + 1, year


def green_staff_q(prefix: str = "") -> Q:
    """Counted for 大连 二(三): full-time, doing green evaluation, intermediate title or above."""
    return Q(
        **{
            f"{prefix}full_time": True,
            f"{prefix}green_evaluation": True,
            f"{prefix}title_level__in": QUALIFIED_TITLES,
        }
    )


def senior_staff_q(prefix: str = "") -> Q:
    """Of those, a senior title in one of the named fields."""
    return green_staff_q(prefix) & Q(
        **{f"{prefix}title_level": TitleLevel.SENIOR, f"{prefix}field__in": list(SENIOR_FIELDS)}
    )


def is_green_staff(member) -> bool:
    """:func:`green_staff_q` for one roster row in memory."""
    return bool(
        member.full_time and member.green_evaluation and member.title_level in QUALIFIED_TITLES
    )


def is_senior_key_field_staff(member) -> bool:
    """:func:`senior_staff_q` for one roster row in memory."""
    return (
        is_green_staff(member)
        and member.title_level == TitleLevel.SENIOR
        and member.field in SENIOR_FIELDS
    )


def counts_from_rows(
    staff: Iterable, experience_years: Iterable[int], *, today: datetime.date | None = None
) -> dict[str, int]:
    """The counts of :func:`with_qualification_counts`, from rows in memory (no query): the
    roster's rows and the years of the experience records."""
    staff = list(staff)
    first, last = recent_years(today)
    return {
        "full_time_green_staff": sum(1 for member in staff if is_green_staff(member)),
        "senior_key_field_staff": sum(1 for member in staff if is_senior_key_field_staff(member)),
        "recent_experience": sum(1 for year in experience_years if first <= year <= last),
    }


def _count(queryset: QuerySet) -> Coalesce:
    return count_per(queryset.filter(agency=OuterRef("pk")), per="agency")


def with_qualification_counts(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Agency rows with their roster and experience counts, and ``qualified`` (the same test
    as the rules, in SQL, for filtering a list)."""
    first, last = recent_years()
    queryset = queryset.annotate(
        staff_total=_count(StaffMember.objects.all()),
        green_staff_count=_count(StaffMember.objects.filter(green_staff_q())),
        senior_staff_count=_count(StaffMember.objects.filter(senior_staff_q())),
        recent_experience_count=_count(
            ExperienceRecord.objects.filter(year__gte=first, year__lte=last)
        ),
    )
    declared = Q(**{f"agency_profile__{name}": True for name in DECLARATIONS})
    return queryset.annotate(
        qualified=Case(
            When(
                declared
                & Q(
                    green_staff_count__gte=MIN_GREEN_STAFF,
                    senior_staff_count__gte=MIN_SENIOR_STAFF,
                    recent_experience_count__gte=1,
                ),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _scope(queryset: QuerySet, user, *, agency_field: str) -> QuerySet:
    """Officials: agencies in their subtree; agency staff: their own; nobody else."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    if user.is_official:
        return queryset.filter(jurisdiction_q(user, field=f"{agency_field}jurisdiction"))
    if user.role == Role.AGENCY_STAFF and user.organisation_id:
        return queryset.filter(**{f"{agency_field}pk": user.organisation_id})
    return queryset.none()


def agency_list(*, user) -> QuerySet[Organisation]:
    """The agencies ``user`` may see, each with its profile and qualification counts.

    Submitted profiles (waiting for a decision) come first, then by name.
    """
    queryset = Organisation.objects.filter(kind=Organisation.Kind.AGENCY).select_related(
        "jurisdiction", "jurisdiction__parent", "agency_profile"
    )
    queryset = with_qualification_counts(_scope(queryset, user, agency_field=""))
    return queryset.annotate(
        waiting=Case(
            When(agency_profile__status=AgencyProfile.Status.SUBMITTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("waiting", "name", "pk")


def staff_list(*, user) -> QuerySet[StaffMember]:
    return _scope(
        StaffMember.objects.select_related("agency"), user, agency_field="agency__"
    ).order_by("agency", "name", "pk")


def experience_list(*, user) -> QuerySet[ExperienceRecord]:
    return _scope(
        ExperienceRecord.objects.select_related("agency"), user, agency_field="agency__"
    ).order_by("agency", "-year", "pk")


def related_entity_list(*, user) -> QuerySet[RelatedEntity]:
    return _scope(
        RelatedEntity.objects.select_related("agency", "related_agency"),
        user,
        agency_field="agency__",
    ).order_by("agency", "name", "pk")


def agency_staff(*, agency: Organisation) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(agency=agency).order_by("name", "pk")


def agency_experience(*, agency: Organisation) -> QuerySet[ExperienceRecord]:
    return ExperienceRecord.objects.filter(agency=agency).order_by("-year", "pk")


def agency_related_entities(*, agency: Organisation) -> QuerySet[RelatedEntity]:
    return (
        RelatedEntity.objects.filter(agency=agency)
        .select_related("related_agency")
        .order_by("name", "pk")
    )


def profile_of(agency: Organisation) -> AgencyProfile | None:
    """The agency's profile (no query when it was selected with the agency)."""
    try:
        return agency.agency_profile
    except AgencyProfile.DoesNotExist:
        return None


# --- the qualification ------------------------------------------------------------------------


@dataclass(frozen=True)
class Qualification:
    """The verdict of 大连 二 for one agency, with the facts it was judged on."""

    verdict: Verdict
    facts: dict[str, Any]
    staff_total: int
    first_year: int
    last_year: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def eligible(self) -> bool:
        return self.verdict.eligible

    @property
    def findings(self) -> list[Finding]:
        return self.verdict.findings

    @property
    def failed(self) -> list[Finding]:
        return self.verdict.failed

    def failure_reasons(self) -> list[str]:
        """Each failing condition as the officials read it: 「大连 二(三)：…」."""
        return [f"大连 {finding.citation}：{finding.message}" for finding in self.failed]


def qualification_facts(
    *, profile: AgencyProfile | None, green: int, senior: int, recent: int
) -> dict[str, Any]:
    """The facts of :func:`agency_qualification`: declarations from the profile (none declared
    without a profile) and the counts."""
    facts: dict[str, Any] = {
        name: bool(profile is not None and getattr(profile, name)) for name in DECLARATIONS
    }
    facts.update(
        full_time_green_staff=green, senior_key_field_staff=senior, recent_experience=recent
    )
    return facts


def _has_counts(agency: Organisation) -> bool:
    return all(hasattr(agency, name) for name in COUNT_NAMES)


def qualification_of(agency: Organisation) -> Qualification:
    """大连 二 for ``agency``: one query, or none when the agency came from
    :func:`agency_list` / :func:`with_qualification_counts` (with its profile selected)."""
    if not _has_counts(agency):
        agency = (
            with_qualification_counts(Organisation.objects.filter(pk=agency.pk))
            .select_related("agency_profile", "jurisdiction")
            .get()
        )
    first, last = recent_years()
    facts = qualification_facts(
        profile=profile_of(agency),
        green=agency.green_staff_count,
        senior=agency.senior_staff_count,
        recent=agency.recent_experience_count,
    )
    return Qualification(
        verdict=agency_qualification(facts),
        facts=facts,
        staff_total=agency.staff_total,
        first_year=first,
        last_year=last,
        counts={
            "green": agency.green_staff_count,
            "senior": agency.senior_staff_count,
            "recent": agency.recent_experience_count,
        },
    )


# --- who decides ------------------------------------------------------------------------------


def approving_officials(*, agency: Organisation) -> list:
    """The officials told of a submission: those of the nearest bureau at or above the agency's
    jurisdiction that has active officials (the agency's own city or county first)."""
    jurisdiction = agency.jurisdiction
    keys = [*jurisdiction.ancestor_keys, jurisdiction.key]
    candidates = User.objects.filter(
        is_active=True,
        role__in=OFFICIAL_ROLES,
        organisation__kind=Organisation.Kind.BUREAU,
        organisation__jurisdiction__key__in=keys,
    ).select_related("organisation__jurisdiction")
    matching = [
        user
        for user in candidates
        if user.role == OFFICIAL_ROLE_BY_LEVEL[user.organisation.jurisdiction.level]
    ]
    if not matching:
        return []
    deepest = max(LEVEL_DEPTH[user.organisation.jurisdiction.level] for user in matching)
    return [
        user for user in matching if LEVEL_DEPTH[user.organisation.jurisdiction.level] == deepest
    ]
