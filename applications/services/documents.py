"""Uploading application documents: every version kept, each with its SHA-256."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from applications.agency_checks import upload_refusals
from applications.models import Application, Document, DocumentVersion
from applications.uploads import REPORT_MAX_BYTES, SUPPORTING_MAX_BYTES, check_upload
from greenmfg.accounts.roles import Role
from greenmfg.audit.services import audit_record
from greenmfg.core.errors import DomainError, NotPermitted
from greenmfg.rules.reports import evaluation_for

REPORT_KINDS = (Document.Kind.SELF_EVALUATION, Document.Kind.THIRD_PARTY_REPORT)


def may_upload(*, actor, application: Application, kind: str) -> bool:
    """The applicant uploads everything, except the third-party report where the policy has the
    engaged agency hand it in (大连 一（一）); the named agency's staff only its own report."""
    if actor.role == Role.APPLICANT:
        if (
            kind == Document.Kind.THIRD_PARTY_REPORT
            and evaluation_for(
                application.batch.policy, application.unit_type
            ).agency_uploads_report
        ):
            return False
        return actor.organisation_id == application.organisation_id
    if actor.role == Role.AGENCY_STAFF:
        return (
            kind == Document.Kind.THIRD_PARTY_REPORT
            and actor.organisation_id == application.agency_id
        )
    return False


@transaction.atomic
def document_upload(
    *, application: Application, actor, kind: str, uploaded_file, title: str = ""
) -> DocumentVersion:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("请选择材料类型。")})
    if not may_upload(actor=actor, application=application, kind=kind):
        raise NotPermitted(
            _("您无权为该申报上传「%(kind)s」。") % {"kind": Document.Kind(kind).label}
        )
    if refusals := upload_refusals(application=application, actor=actor, kind=kind):
        raise DomainError("；".join(refusals), code="upload_refused", reasons=refusals)
    if not application.is_editable:
        raise DomainError(
            _("申报当前状态为「%(state)s」，不能再上传材料。")
            % {"state": application.get_status_display()}
        )
    is_report = kind in REPORT_KINDS
    title = Document.Kind(kind).label if is_report else title.strip()
    if not title:
        raise ValidationError({"title": _("请填写证明材料的名称。")})
    checked = check_upload(
        uploaded_file,
        pdf_only=is_report,
        max_bytes=REPORT_MAX_BYTES if is_report else SUPPORTING_MAX_BYTES,
    )
    document, _created = Document.objects.get_or_create(
        application=application, kind=kind, title=title[:200]
    )
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = DocumentVersion(document=document, number=number)
    version.fill_from(checked, uploaded_by=actor)
    version.save()
    document.current = version
    document.save(update_fields=["current"])
    application.save(update_fields=["updated_at"])
    audit_record(
        subject=application,
        actor=actor,
        action="upload",
        action_label=_("上传材料"),
        comment=f"{title} v{number}",
        data={
            "kind": kind,
            "version": number,
            "sha256": checked.sha256,
            "name": version.original_name,
        },
    )
    return version
