"""专家库 and 评审分配: who keeps a pool, who may sit on a panel, and who sees which assignment.

A pool belongs to one authority (the city, province or national bureau that opens batches).
Whether a pool member may review an application is answered here, with the reasons in Chinese
when not: the conflict-of-interest rules (same organisation as the applicant, employed by the
agency named on the application, or a conflict the expert declared) and the pool rules (still in
the pool, active in the batch year, not already on the panel).

ReviewsConfig.ready registers :func:`assigned_applications_q` with applications' selectors
(register_visibility): it is how an expert's application list is filtered.
"""

from collections import defaultdict

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from applications.models import Application, Batch
from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.directory.models import Level, Organisation
from reviews.models import ConflictDeclaration, ExpertAssignment, ExpertMembership

A = ExpertAssignment.Status
# The bureaus that open batches keep a pool: the county only recommends, it has no panel.
POOL_KEEPER_ROLES = frozenset({Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL})
# An expert may declare a conflict with an applicant or with an evaluation agency.
CONFLICT_KINDS = (Organisation.Kind.ENTERPRISE, Organisation.Kind.PARK, Organisation.Kind.AGENCY)


# --- who keeps what ---------------------------------------------------------------------------


def keeps_expert_pool(*, user) -> bool:
    """City, province and national bureaus keep their own pool; administrators any pool."""
    if not user.is_authenticated:
        return False
    if user.is_sysadmin:
        return True
    return (
        user.effective_role in POOL_KEEPER_ROLES
        and user.organisation_id is not None
        and user.organisation.kind == Organisation.Kind.BUREAU
    )


def pool_authorities() -> QuerySet[Organisation]:
    """The bureaus an administrator may add an expert to: every level but the county."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.BUREAU)
        .exclude(jurisdiction__level=Level.COUNTY)
        .select_related("jurisdiction")
        .order_by("jurisdiction__path")
    )


def expert_pool(*, user) -> QuerySet[ExpertMembership]:
    """The pool of the user's bureau; every pool for an administrator; nothing for others."""
    queryset = ExpertMembership.objects.select_related(
        "expert__organisation", "authority__jurisdiction"
    )
    if not keeps_expert_pool(user=user):
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    return queryset.filter(authority_id=user.organisation_id)


def expert_user_choices(*, authority: Organisation | None) -> QuerySet[User]:
    """Active expert accounts not yet in ``authority``'s pool (any expert when none is named)."""
    queryset = User.objects.filter(role=Role.EXPERT, is_active=True).select_related("organisation")
    if authority is not None:
        queryset = queryset.exclude(expert_memberships__authority=authority)
    return queryset.order_by("full_name", "username")


# --- eligibility ------------------------------------------------------------------------------


def declared_conflicts(
    *, expert_ids: list[int], application: Application
) -> dict[int, dict[int, str]]:
    """Each expert's declared conflicts with the applicant or its agency: expert → org → reason."""
    organisations = [application.organisation_id]
    if application.agency_id:
        organisations.append(application.agency_id)
    found: dict[int, dict[int, str]] = defaultdict(dict)
    rows = ConflictDeclaration.objects.filter(
        expert_id__in=expert_ids, organisation_id__in=organisations
    ).values_list("expert_id", "organisation_id", "reason")
    for expert_id, organisation_id, reason in rows:
        found[expert_id][organisation_id] = reason
    return found


def conflict_reasons(*, expert, application: Application, declared: dict[int, str]) -> list[str]:
    """The conflicts of interest between an expert and an application (pure: no queries when the
    expert's organisation and the application's organisation and agency are loaded): the same
    organisation, or one of the same name, as the applicant or its agency, or one declared."""
    reasons = []
    organisation = application.organisation
    agency = application.agency if application.agency_id else None
    # An employer an expert import created (it was not on the portal) is another record than
    # the unit that registers later under the same name: the same name is the same employer.
    employer = expert.organisation.name if expert.organisation_id else None
    if expert.organisation_id and (
        expert.organisation_id == application.organisation_id or employer == organisation.name
    ):
        reasons.append(_("专家所在单位「%(name)s」即申报单位。") % {"name": employer})
    if agency is not None and (expert.organisation_id == agency.pk or employer == agency.name):
        reasons.append(
            _("专家所在单位「%(name)s」是该申报的第三方评价机构。") % {"name": agency.name}
        )
    if organisation.pk in declared:
        reasons.append(
            _("专家已申报与申报单位「%(name)s」存在利益冲突：%(reason)s")
            % {"name": organisation.name, "reason": declared[organisation.pk]}
        )
    if agency is not None and agency.pk in declared:
        reasons.append(
            _("专家已申报与第三方评价机构「%(name)s」存在利益冲突：%(reason)s")
            % {"name": agency.name, "reason": declared[agency.pk]}
        )
    return reasons


def conflicts_for(*, expert, application: Application) -> list[str]:
    """Why ``expert`` has a conflict of interest with ``application``; empty when none."""
    declared = declared_conflicts(expert_ids=[expert.pk], application=application)
    return conflict_reasons(
        expert=expert, application=application, declared=declared.get(expert.pk, {})
    )


def membership_refusals(*, membership: ExpertMembership, year: int) -> list[str]:
    """Why a pool member cannot serve in a batch of ``year`` (pure)."""
    reasons = []
    expert = membership.expert
    if not membership.is_active:
        reasons.append(_("已移出专家库。"))
    if membership.active_from > year:
        reasons.append(
            _("入库年度为 %(first)d 年，晚于批次年度 %(year)d 年。")
            % {"first": membership.active_from, "year": year}
        )
    if membership.active_until is not None and membership.active_until < year:
        reasons.append(
            _("在库期限至 %(last)d 年，早于批次年度 %(year)d 年。")
            % {"last": membership.active_until, "year": year}
        )
    if not expert.is_active:
        reasons.append(_("账号已停用。"))
    if expert.role != Role.EXPERT:
        reasons.append(_("账号角色不是评审专家。"))
    return reasons


def assignment_refusals(*, assignment: ExpertAssignment | None) -> list[str]:
    """Why an expert cannot be assigned again to the same application (pure)."""
    if assignment is None:
        return []
    if assignment.status == A.WITHDRAWN:
        return [
            _("已回避该申报：%(reason)s") % {"reason": assignment.withdrawal_reason or _("未说明")}
        ]
    return [_("已在该申报的评审组中。")]


def eligible_experts(
    *, application: Application, assignments: list[ExpertAssignment] | None = None
) -> list[tuple[ExpertMembership, list[str]]]:
    """Every member of the batch authority's pool with the reasons they are excluded (an empty
    list for an eligible one), in the pool's order. Four queries whatever the pool's size, one
    fewer when the caller has the application's ``assignments`` already."""
    batch = application.batch
    memberships = list(
        ExpertMembership.objects.filter(authority_id=batch.authority_id).select_related(
            "expert__organisation"
        )
    )
    expert_ids = [membership.expert_id for membership in memberships]
    declared = declared_conflicts(expert_ids=expert_ids, application=application)
    if assignments is None:
        assignments = ExpertAssignment.objects.filter(application=application)
    assigned = {assignment.expert_id: assignment for assignment in assignments}
    return [
        (
            membership,
            [
                *assignment_refusals(assignment=assigned.get(membership.expert_id)),
                *membership_refusals(membership=membership, year=batch.year),
                *conflict_reasons(
                    expert=membership.expert,
                    application=application,
                    declared=declared.get(membership.expert_id, {}),
                ),
            ],
        )
        for membership in memberships
    ]


def open_load(*, batch: Batch, expert_ids: list[int]) -> dict[int, int]:
    """How many assignments each expert still has to score in ``batch``."""
    rows = (
        ExpertAssignment.objects.filter(
            application__batch=batch, status=A.ASSIGNED, expert_id__in=expert_ids
        )
        .values("expert_id")
        .annotate(total=Count("id"))
    )
    return {row["expert_id"]: row["total"] for row in rows}


def panel_size(*, application: Application) -> int:
    """The experts on the application's panel (withdrawn ones do not count)."""
    return (
        ExpertAssignment.objects.filter(application=application).exclude(status=A.WITHDRAWN).count()
    )


def panel_fields(*, application: Application) -> set[str]:
    """The fields (专业领域) already represented on the application's panel."""
    on_panel = (
        ExpertAssignment.objects.filter(application=application)
        .exclude(status=A.WITHDRAWN)
        .values("expert_id")
    )
    return set(
        ExpertMembership.objects.filter(
            authority_id=application.batch.authority_id, expert_id__in=on_panel
        ).values_list("field", flat=True)
    )


# --- who sees which assignment ----------------------------------------------------------------


def _with_application(queryset: QuerySet[ExpertAssignment]) -> QuerySet[ExpertAssignment]:
    return queryset.select_related(
        "application__batch", "application__organisation", "expert__organisation", "sheet"
    )


def assignments_for_expert(*, user) -> QuerySet[ExpertAssignment]:
    """An expert's own assignments, withdrawn ones left out; nobody sees another's."""
    if not user.is_authenticated:
        return ExpertAssignment.objects.none()
    return (
        _with_application(ExpertAssignment.objects.filter(expert=user))
        .exclude(status=A.WITHDRAWN)
        .order_by("-assigned_at", "-id")
    )


def assignments_for_application(*, application: Application) -> QuerySet[ExpertAssignment]:
    """The panel of one application, withdrawn assignments last."""
    return (
        ExpertAssignment.objects.filter(application=application)
        .select_related("expert__organisation", "assigned_by", "sheet")
        .order_by(
            Case(When(status=A.WITHDRAWN, then=Value(1)), default=Value(0)), "assigned_at", "id"
        )
    )


def assignment_list(*, user) -> QuerySet[ExpertAssignment]:
    """For the API: an authority's officials the assignments of the batches it opened, an expert
    their own (not withdrawn), an administrator all; nobody else anything."""
    queryset = _with_application(ExpertAssignment.objects.all()).order_by("-assigned_at", "-id")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    if user.role == Role.EXPERT:
        return queryset.filter(expert=user).exclude(status=A.WITHDRAWN)
    if keeps_expert_pool(user=user):
        return queryset.filter(application__batch__authority_id=user.organisation_id)
    return queryset.none()


def assigned_applications_q(user) -> Q:
    """The applications assigned to an expert (not withdrawn), as a filter on Application.

    A subquery rather than a join, so that it neither duplicates rows nor mixes with the
    other joins of the caller's queryset.
    """
    return Q(
        pk__in=ExpertAssignment.objects.filter(expert_id=user.pk)
        .exclude(status=A.WITHDRAWN)
        .values("application_id")
    )


# --- conflicts --------------------------------------------------------------------------------


def conflict_list(*, user) -> QuerySet[ConflictDeclaration]:
    """An expert's own declarations; a pool keeper those of its pool's experts (read only)."""
    queryset = ConflictDeclaration.objects.select_related("organisation", "expert").order_by(
        "-declared_at", "-id"
    )
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    if user.role == Role.EXPERT:
        return queryset.filter(expert=user)
    if keeps_expert_pool(user=user):
        return queryset.filter(expert__expert_memberships__authority_id=user.organisation_id)
    return queryset.none()


def conflict_organisation_choices(*, user) -> QuerySet[Organisation]:
    """The applicants and agencies of the expert's assignments not yet declared."""
    assigned = Application.objects.filter(assigned_applications_q(user)).order_by()
    # One subquery of both columns (a UNION), not two ORed: with OR the planner can only filter
    # every organisation of the nation in name order; with one IN it looks up the few ids.
    parties = assigned.values("organisation_id").union(assigned.values("agency_id"))
    return (
        Organisation.objects.filter(pk__in=parties)
        .exclude(pk__in=ConflictDeclaration.objects.filter(expert=user).values("organisation_id"))
        .order_by("name")
    )
