"""Queries about 评价机构年度工作情况报告 (大连 附件10): who sees which reports, which years an
agency owes, and which engaged agencies have not reported after a batch's deadline.

A batch's ``agency_report_deadline`` (大连: 20 October) is the last day to report on the batch's
year; from the next day, every agency with an active engagement in the batch and no report for
that year is missing.
"""

import datetime

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet

from applications.models import Batch
from greenmfg.accounts.roles import Role
from greenmfg.accounts.scoping import scope_root
from greenmfg.core import clock
from thirdparty.models import AnnualReport, Engagement
from thirdparty.selectors.blacklist import agencies_overseen


def _today() -> datetime.date:
    return clock.today()


def annual_report_list(*, user) -> QuerySet[AnnualReport]:
    """Agency staff: their agency's reports; officials: those of the agencies they oversee."""
    queryset = AnnualReport.objects.select_related("agency", "submitted_by")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    if user.role == Role.AGENCY_STAFF:
        if not user.organisation_id:
            return queryset.none()
        return queryset.filter(agency_id=user.organisation_id)
    if not user.is_official:
        return queryset.none()
    return queryset.filter(agency__in=agencies_overseen(user=user).values("pk"))


def latest_only(queryset: QuerySet[AnnualReport]) -> QuerySet[AnnualReport]:
    """Only the current version of each agency's report for a year."""
    newer = AnnualReport.objects.filter(
        agency_id=OuterRef("agency_id"), year=OuterRef("year"), number__gt=OuterRef("number")
    )
    return queryset.exclude(Exists(newer))


def report_versions(*, agency_id: int) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(agency_id=agency_id).select_related("submitted_by")


def report_batches(*, user) -> QuerySet[Batch]:
    """The batches whose reports an official follows: in their subtree, or organised by their
    bureau."""
    queryset = Batch.objects.select_related("authority", "jurisdiction")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_sysadmin:
        return queryset
    root = scope_root(user)
    if root is None:
        return queryset.none()
    return queryset.filter(
        Q(jurisdiction__path__startswith=root.path) | Q(authority_id=user.organisation_id)
    )


def deadline_passed_batches(*, user, on: datetime.date | None = None) -> QuerySet[Batch]:
    on = on or _today()
    return report_batches(user=user).filter(agency_report_deadline__lt=on)


def missing_reports(*, user, batch: Batch | None = None, on: datetime.date | None = None):
    """One row per (batch, agency) whose deadline has passed with no report for the batch's
    year: a values queryset (batch, agency, names, deadline and the number of engagements)."""
    batches = deadline_passed_batches(user=user, on=on)
    if batch is not None:
        batches = batches.filter(pk=batch.pk)
    reported = AnnualReport.objects.filter(agency_id=OuterRef("agency_id"), year=OuterRef("year"))
    return (
        Engagement.objects.filter(status=Engagement.Status.ACTIVE, batch__in=batches.values("pk"))
        .exclude(Exists(reported))
        .values(
            "batch_id",
            "batch__title",
            "batch__agency_report_deadline",
            "year",
            "agency_id",
            "agency__name",
            "agency__credit_code",
        )
        .annotate(engagements=Count("id"))
        .order_by("-batch__agency_report_deadline", "batch_id", "agency__name", "agency_id")
    )


def due_years(*, agency_id: int, on: datetime.date | None = None) -> list[dict]:
    """For the agency's own page: each year it is engaged in, the earliest report deadline of
    that year's batches, and the current report (two queries)."""
    on = on or _today()
    years = (
        Engagement.objects.filter(agency_id=agency_id, status=Engagement.Status.ACTIVE)
        .values("year")
        .annotate(
            deadline=Min("batch__agency_report_deadline"),
            batches=Count("batch", distinct=True),
            engagements=Count("id"),
        )
        .order_by("-year")
    )
    latest = {}
    for report in latest_only(AnnualReport.objects.filter(agency_id=agency_id)):
        latest[report.year] = report
    rows = []
    for row in years:
        report = latest.get(row["year"])
        deadline = row["deadline"]
        rows.append(
            {
                **row,
                "report": report,
                "overdue": report is None and deadline is not None and deadline < on,
            }
        )
    return rows


def report_for_download(*, user, pk: int) -> AnnualReport | None:
    return annual_report_list(user=user).filter(pk=pk).first()
