"""行业参考值: a bureau publishes an industry's averages once; every application uses them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.facts import clean_facts, industry_reference_specs
from applications.models import IndustryReference
from greenmfg.audit.services import audit_record
from greenmfg.core.errors import NotPermitted


@transaction.atomic
def industry_reference_save(
    *, actor, industry: str, year: int, values: dict, source: str = ""
) -> IndustryReference:
    """Create or replace the actor's jurisdiction's reference values of one industry and year."""
    if not actor.is_official or not actor.organisation_id:
        raise NotPermitted(_("行业参考值由工信部门录入。"))
    industry = industry.strip()
    if not industry:
        raise ValidationError({"industry": _("请填写行业名称。")})
    cleaned, errors = clean_facts(industry_reference_specs(), values)
    if errors:
        raise ValidationError(errors)
    cleaned = {key: value for key, value in cleaned.items() if value is not None}
    if not cleaned:
        raise ValidationError(_("请至少填写一项参考值。"))
    reference, created = IndustryReference.objects.select_for_update().get_or_create(
        jurisdiction=actor.organisation.jurisdiction,
        year=year,
        industry=industry,
        defaults={"values": cleaned, "source": source.strip(), "updated_by": actor},
    )
    before = {} if created else dict(reference.values)
    if not created:
        reference.values = cleaned
        reference.source = source.strip()
        reference.updated_by = actor
        reference.save()
    audit_record(
        subject=reference,
        actor=actor,
        action="create" if created else "update",
        action_label=_("录入行业参考值") if created else _("修改行业参考值"),
        data={"before": before, "after": cleaned},
    )
    return reference
