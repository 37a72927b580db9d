from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from applications.models import Application, BatchQuota
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import scope_queryset
from greenmfg.core.relations import MISSING, loaded
from greenmfg.directory.models import Organisation, bureau_place_q
from reviews.models import CountyReview, OpinionRequest

# Every state a recommendation leads to: the quota counts a recommendation however far it went.
S = Application.Status
RECOMMENDED_STATES = (
    S.RECOMMENDED,
    S.EXPERT_REVIEW,
    S.ONSITE_CHECK,
    S.PASSED,
    S.FAILED,
    S.IN_PUBLICITY,
    S.LISTED,
    S.NOT_LISTED,
)


def opinion_request_list(*, user) -> QuerySet[OpinionRequest]:
    """A department sees only what was sent to it; officials what lies in their subtree."""
    queryset = OpinionRequest.objects.select_related(
        "application__organisation", "application__batch", "department", "requested_by"
    )
    if user.is_authenticated and user.role == Role.DEPARTMENT_OFFICIAL:
        if not user.organisation_id:
            return queryset.none()
        return queryset.filter(department_id=user.organisation_id)
    return scope_queryset(queryset, user, jurisdiction_field="application__jurisdiction")


def opinions_for(*, application: Application) -> QuerySet[OpinionRequest]:
    return (
        OpinionRequest.objects.filter(application=application)
        .select_related("department", "answered_by")
        .prefetch_related("attachments")
        .order_by("department__department")
    )


def department_choices(*, application: Application) -> QuerySet[Organisation]:
    """The consulted departments of the applicant's own county (a zone's: of the county that
    runs it)."""
    return Organisation.objects.filter(
        bureau_place_q(application.jurisdiction),
        kind=Organisation.Kind.DEPARTMENT,
        status=Organisation.Status.ACTIVE,
    ).order_by("department", "name")


def county_review_of(*, application: Application) -> CountyReview | None:
    review = loaded(application, "county_review")
    if review is not MISSING:  # the application page selects it with the application
        return review
    return CountyReview.objects.filter(application=application).first()


def quota_row(*, application: Application, lock: bool = False) -> BatchQuota | None:
    """The batch's quota row for the child jurisdiction that holds the applicant's county."""
    keys = [*application.jurisdiction.ancestor_keys, application.jurisdiction.key]
    queryset = BatchQuota.objects.filter(batch=application.batch_id, county__key__in=keys)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.select_related("county").first()


def recommended_count(*, quota: BatchQuota) -> int:
    return Application.objects.filter(
        batch=quota.batch_id,
        jurisdiction__path__startswith=quota.county.path,
        status__in=RECOMMENDED_STATES,
    ).count()


def quota_with_usage(*, application: Application) -> BatchQuota | None:
    """The quota row as :func:`quota_row` reads it, with ``used`` (its recommendations so far)
    counted in the same statement: for showing. The recommendation itself locks the row and then
    counts (a count read beside the lock could predate a recommendation that held it)."""
    keys = [*application.jurisdiction.ancestor_keys, application.jurisdiction.key]
    used = (
        Application.objects.filter(
            batch=OuterRef("batch_id"),
            jurisdiction__path__startswith=OuterRef("county__path"),
            status__in=RECOMMENDED_STATES,
        )
        .order_by()
        .values("batch")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        BatchQuota.objects.filter(batch=application.batch_id, county__key__in=keys)
        .select_related("county")
        .annotate(used=Coalesce(Subquery(used, output_field=IntegerField()), 0))
        .first()
    )
