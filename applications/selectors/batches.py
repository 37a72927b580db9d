"""Which 申报批次 a user sees, and the recommendation quota that applies to a place."""

from django.db.models import Q, QuerySet

from applications.models import Batch, BatchQuota
from applications.workflow import BATCH_AUTHORS
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import scope_root
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.rules.reports import intake_for

# What lower levels see of a superior's batches: a draft stays with the bureau drafting it.
PUBLISHED = (Batch.Status.OPEN, Batch.Status.CLOSED)


def _keys_on_path(jurisdiction: Jurisdiction) -> list[str]:
    """The keys of ``jurisdiction`` and all its ancestors, read from its path (no query)."""
    return jurisdiction.path.strip("/").split("/")


def batch_list(*, user) -> QuerySet[Batch]:
    """The batches ``user`` may see.

    Officials: batches of their own subtree, and the published batches of the levels above
    them (a county sees its city's, province's and the national batches; a superior's draft
    stays with its authors). Applicants: the open batches that cover their organisation.
    """
    queryset = Batch.objects.select_related("authority", "jurisdiction")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    if user.is_official:
        root = scope_root(user)
        if root is None:
            return queryset.none()
        return queryset.filter(
            Q(jurisdiction__path__startswith=root.path)
            | Q(jurisdiction__key__in=root.ancestor_keys, status__in=PUBLISHED)
        )
    if user.role == Role.APPLICANT and user.organisation_id:
        return open_batches_for(organisation=user.organisation)
    return queryset.none()


def open_batches_for(
    *, organisation: Organisation, unit_type: str | None = None
) -> QuerySet[Batch]:
    """The open batches ``organisation`` may apply to, soonest deadline first: those whose
    jurisdiction contains its own, at a level where the batch's policy takes applications from
    units (a provincial or national batch takes recommendations only: 洛阳 第二十二条, 济南
    第十二条, 大连 一).

    With ``unit_type``, only the batches that accept it.
    """
    queryset = (
        Batch.objects.select_related("authority", "jurisdiction")
        .filter(
            status=Batch.Status.OPEN,
            jurisdiction__key__in=_keys_on_path(organisation.jurisdiction),
        )
        .order_by("submission_deadline", "pk")
    )
    # JSON containment is not portable (SQLite has none), and the intake is the policy's own
    # data, not a column: open batches on one path are few, so they are sorted out here.
    accepting = [
        batch.pk
        for batch in queryset
        if intake_for(batch.policy).accepts(batch.jurisdiction.level)
        and (not unit_type or unit_type in batch.unit_types)
    ]
    return queryset.filter(pk__in=accepting)


def is_batch_authority(*, user, batch: Batch) -> bool:
    """Whether ``user`` speaks for the bureau that opened ``batch`` (批次组织单位), or administers.

    The one answer to "is this user the batch's authority?": it decides who forms the panels,
    reads and finalises the score sheets, publishes the publicity and ends the round. It asks
    for the batch's own ``authority`` organisation, so a second bureau of the same place does
    not qualify; compare ``can_manage_batch``, which edits the batch itself and asks for any
    bureau of the batch's jurisdiction.
    """
    if not user.is_authenticated:
        return False
    if user.is_sysadmin:
        return True
    return user.is_official and user.organisation_id == batch.authority_id


def can_manage_batch(*, user, batch: Batch) -> bool:
    """Officials of the organising bureau (same jurisdiction) and administrators.

    Not ``is_batch_authority``: editing, publishing and closing a batch belong to any official
    in ``BATCH_AUTHORS`` of a bureau of the batch's jurisdiction, not only to its authority.
    """
    if not user.is_authenticated:
        return False
    if user.is_sysadmin:
        return True
    organisation = user.organisation if user.organisation_id else None
    return (
        user.effective_role in BATCH_AUTHORS
        and organisation is not None
        and organisation.kind == Organisation.Kind.BUREAU
        and organisation.jurisdiction_id == batch.jurisdiction_id
    )


def can_create_batches(*, user) -> bool:
    return user.is_authenticated and (
        user.is_sysadmin
        or (
            user.effective_role in BATCH_AUTHORS
            and user.organisation_id is not None
            and user.organisation.kind == Organisation.Kind.BUREAU
        )
    )


def batch_children(*, batch: Batch) -> QuerySet[Jurisdiction]:
    """The jurisdictions a batch's quotas go to: the direct children of its jurisdiction. A
    division withdrawn from the national tree is offered no quota, unless it already holds one
    in this batch (which stays visible, and may be cleared)."""
    return (
        Jurisdiction.objects.filter(parent_id=batch.jurisdiction_id)
        .filter(Q(active=True) | Q(pk__in=BatchQuota.objects.filter(batch=batch).values("county")))
        .order_by("path")
    )


def batch_quota_rows(*, batch: Batch) -> list[dict]:
    """Every child jurisdiction with its quota (None where none is set), in two queries."""
    quotas = dict(BatchQuota.objects.filter(batch=batch).values_list("county_id", "quota"))
    return [
        {"jurisdiction": child, "quota": quotas.get(child.pk)}
        for child in batch_children(batch=batch)
    ]


def quota_for(*, batch: Batch, jurisdiction: Jurisdiction) -> int | None:
    """The quota of the batch's child jurisdiction that contains ``jurisdiction``.

    None when no quota is set for it, or when ``jurisdiction`` is not below the batch's.
    """
    root = batch.jurisdiction
    if jurisdiction.pk == root.pk or not root.contains(jurisdiction):
        return None
    child_key = jurisdiction.path[len(root.path) :].split("/")[0]
    return (
        BatchQuota.objects.filter(batch=batch, county__key=child_key)
        .values_list("quota", flat=True)
        .first()
    )
