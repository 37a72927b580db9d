from collections.abc import Callable

from django.db.models import Prefetch, Q, QuerySet

from applications.models import Application, Document, DocumentVersion
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import scope_queryset

# Which applications a role outside the bureaus' tree sees, as a filter on Application, set by
# the app that knows: reviews/ (in ReviewsConfig.ready) gives an expert
# the applications assigned to them. A role without one sees none.
_VISIBLE_TO: dict[str, Callable[..., Q]] = {}


def register_visibility(role: str, visible: Callable[..., Q]) -> None:
    """``visible(user)`` is the filter of the applications ``user`` (of ``role``) may see."""
    _VISIBLE_TO[role] = visible


def application_list(*, user) -> QuerySet[Application]:
    """Applications ``user`` may see: an official's subtree, an applicant's own, an agency's
    engagements, a department's consultations."""
    queryset = Application.objects.select_related("batch", "organisation", "jurisdiction", "agency")
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.AGENCY_STAFF:
        if not user.organisation_id:
            return queryset.none()
        return queryset.filter(agency_id=user.organisation_id)
    if user.role == Role.DEPARTMENT_OFFICIAL:
        # A consulted department sees the applications it was asked about, and no others.
        if not user.organisation_id:
            return queryset.none()
        return queryset.filter(opinion_requests__department_id=user.organisation_id)
    if user.role == Role.EXPERT:
        # An expert sees the applications assigned to them (not withdrawn), and no others.
        visible = _VISIBLE_TO.get(Role.EXPERT)
        return queryset.filter(visible(user)) if visible else queryset.none()
    return scope_queryset(
        queryset, user, jurisdiction_field="jurisdiction", organisation_field="organisation"
    )


def county_inbox(*, user) -> QuerySet[Application]:
    """What the county has to work on: everything submitted in its subtree."""
    return application_list(user=user).exclude(status=Application.Status.DRAFT)


def application_documents(*, application: Application) -> QuerySet[Document]:
    return (
        Document.objects.filter(application=application)
        .select_related("current", "current__uploaded_by")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"),
            )
        )
    )


def document_version_for_download(*, user, pk: int) -> DocumentVersion | None:
    """A file version, only if its application is visible to ``user``."""
    return (
        DocumentVersion.objects.select_related("document__application")
        .filter(pk=pk, document__application__in=application_list(user=user))
        .first()
    )


def principle_rows(*, application: Application) -> list[dict]:
    """原则上: each failed 原则上 finding of the last pre-check with the reasons given for it.

    A reason stands only beside a finding that fails: once the facts meet the condition the
    reason is moot (the audit trail keeps it), so a page whose pre-check has no such failure
    spends no query here.
    """
    failing = [
        finding
        for finding in (application.precheck or {}).get("findings", [])
        if finding.get("in_principle") and not finding["passed"]
    ]
    if not failing:
        return []
    exceptions = {e.code: e for e in application.principle_exceptions.all()}
    return [
        {
            "code": finding["code"],
            "citation": finding["citation"],
            "message": finding["message"],
            "exception": exceptions.get(finding["code"]),
        }
        for finding in failing
    ]
