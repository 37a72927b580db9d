"""Commands on the scoring templates administrators add: a new version, retiring one."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from greenmfg.audit.services import audit_record
from greenmfg.core.errors import NotPermitted
from reviews.models import ScoreSheet, ScoringTemplateVersion
from reviews.selectors.template import is_built_in, template_by_key
from reviews.template_format import template_from_dict, template_to_dict


def _require_admin(actor) -> None:
    if not (actor.is_authenticated and (actor.is_sysadmin or actor.is_superuser)):
        raise NotPermitted(_("评分模板由系统管理员维护。"))


def template_definition_based_on(*, key: str, code: str, version: str, title: str = "") -> dict:
    """A copy of the template ``key`` as the start of a new version (e.g. an industry's values)."""
    base = template_by_key(key)
    if base is None:
        raise ValidationError({"based_on": _("评分模板「%(key)s」不存在。") % {"key": key}})
    definition = template_to_dict(base)
    definition.update(code=code, version=version, title=title or base.title)
    return definition


@transaction.atomic
def template_version_create(*, actor, definition, notes: str = "") -> ScoringTemplateVersion:
    """Save a new template version after the same checks as the shipped templates pass."""
    _require_admin(actor)
    try:
        template = template_from_dict(definition)
    except ValueError as error:
        raise ValidationError({"definition": str(error)}) from error
    if is_built_in(template.key):
        message = _("「%(key)s」是平台内置模板的版本号，请换一个版本。")
        raise ValidationError({"definition": message % {"key": template.key}})
    try:
        with transaction.atomic():
            record = ScoringTemplateVersion.objects.create(
                code=template.code,
                version=template.version,
                unit_type=template.unit_type,
                title=template.title,
                definition=template_to_dict(template),
                notes=notes.strip(),
                created_by=actor,
            )
    except IntegrityError as error:
        raise ValidationError(
            {"definition": _("评分模板「%(key)s」已存在，请换一个版本。") % {"key": template.key}}
        ) from error
    audit_record(
        subject=record,
        actor=actor,
        action="create",
        action_label=_("新增评分模板版本"),
        data={"key": record.key, "unit_type": record.unit_type},
    )
    return record


@transaction.atomic
def template_version_set_active(
    *, record: ScoringTemplateVersion, actor, active: bool
) -> ScoringTemplateVersion:
    """Offer a version to batches again, or retire it (sheets scored with it keep it)."""
    _require_admin(actor)
    record = ScoringTemplateVersion.objects.select_for_update().get(pk=record.pk)
    if record.is_active == active:
        return record
    record.is_active = active
    record.save(update_fields=["is_active"])
    audit_record(
        subject=record,
        actor=actor,
        action="activate" if active else "retire",
        action_label=_("启用评分模板版本") if active else _("停用评分模板版本"),
        data={
            "key": record.key,
            "sheets": ScoreSheet.objects.filter(template_key=record.key).count(),
        },
    )
    return record
