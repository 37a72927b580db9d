"""评价机构年度工作情况报告 (大连 附件10): the agency submits one PDF a year; submitting again
keeps the earlier file and adds a new version."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from applications.uploads import REPORT_MAX_BYTES, check_upload
from greenmfg.accounts.roles import Role
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.directory.models import Organisation
from thirdparty.models import AnnualReport

FIRST_YEAR = 2000
MAX_PROJECTS = 100_000
SUMMARY_MAX = 5000


def _agency_of(actor) -> Organisation:
    organisation = actor.organisation if actor.organisation_id else None
    if (
        actor.role != Role.AGENCY_STAFF
        or organisation is None
        or organisation.kind != Organisation.Kind.AGENCY
    ):
        raise NotPermitted(_("年度工作情况报告由第三方评价机构自行报送。"))
    return organisation


def _validate(*, year, projects, summary: str, uploaded) -> None:
    errors: dict[str, str] = {}
    this_year = clock.today().year
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= this_year:
        errors["year"] = _("请填写 %(first)d—%(last)d 之间的年度。") % {
            "first": FIRST_YEAR,
            "last": this_year,
        }
    if (
        not isinstance(projects, int)
        or isinstance(projects, bool)
        or not 0 <= projects <= MAX_PROJECTS
    ):
        errors["projects"] = _("请填写本年度开展的评价项目数（不小于 0 的整数）。")
    if not summary:
        errors["summary"] = _("请填写年度工作情况摘要。")
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = _("工作情况摘要不能超过 %(max)d 个字。") % {"max": SUMMARY_MAX}
    if uploaded is None:
        errors["file"] = _("请上传年度工作情况报告（PDF）。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def annual_report_submit(
    *, actor, year: int, projects: int, summary: str, uploaded
) -> AnnualReport:
    """Submit the agency's report for ``year``: a PDF (size-limited, checked by content and
    stored under its SHA-256). A resubmission is the next version; earlier ones are kept."""
    agency = _agency_of(actor)
    summary = (summary or "").strip()
    _validate(year=year, projects=projects, summary=summary, uploaded=uploaded)
    try:
        checked = check_upload(uploaded, pdf_only=True, max_bytes=REPORT_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    # The agency's row lock serialises two submissions racing for the same version number.
    Organisation.objects.select_for_update().filter(pk=agency.pk).values_list("pk").first()
    previous = AnnualReport.objects.filter(agency=agency, year=year).aggregate(last=Max("number"))[
        "last"
    ]
    report = AnnualReport(
        agency=agency,
        year=year,
        number=(previous or 0) + 1,
        projects=projects,
        summary=summary,
        submitted_by=actor,
    )
    report.fill_from(checked)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise DomainError(
            _("同一年度的报告正在由他人同时提交，请刷新页面后重试。"), code="concurrent_submit"
        ) from error
    first = report.number == 1
    audit_record(
        subject=report,
        actor=actor,
        action="submit" if first else "resubmit",
        action_label=_("报送年度工作情况报告") if first else _("重新报送年度工作情况报告"),
        comment=_("%(year)d 年度，第 %(number)d 版，评价项目 %(projects)d 项")
        % {"year": year, "number": report.number, "projects": projects},
        data={"year": year, "number": report.number, "sha256": report.sha256, "size": report.size},
    )
    return report
