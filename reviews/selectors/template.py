"""Which scoring templates exist: the shipped ones (reviews/scoring_templates/) and the versions
administrators added (ScoringTemplateVersion), under one key space ``code@version``.

A stored version never changes once saved, so a template read once is kept for the life of the
process: looking a sheet's template up costs a query only the first time its key is seen.
"""

from reviews.models import ScoringTemplateVersion
from reviews.scoring import ScoringTemplate
from reviews.scoring_templates import TEMPLATES as BUILT_IN
from reviews.scoring_templates import templates_for as built_in_for
from reviews.template_format import template_from_dict

_READ: dict[str, ScoringTemplate] = {}


def is_built_in(key: str) -> bool:
    return key in BUILT_IN


def template_of(record: ScoringTemplateVersion) -> ScoringTemplate:
    """The template a stored version holds, read from the row already fetched (no query)."""
    template = _READ.get(record.key)
    if template is None:
        template = template_from_dict(record.definition)
        _READ[record.key] = template
    return template


def template_by_key(key: str) -> ScoringTemplate | None:
    """The template of ``key`` (retired versions too: old sheets still read them), or None."""
    if key in BUILT_IN:
        return BUILT_IN[key]
    if key in _READ:
        return _READ[key]
    code, _sep, version = key.partition("@")
    record = ScoringTemplateVersion.objects.filter(code=code, version=version).first()
    return template_of(record) if record else None


def available_templates(unit_type: str) -> list[ScoringTemplate]:
    """The templates a batch may choose for ``unit_type``: the shipped ones and the active
    versions administrators added, by code then version. ValueError for an unknown type."""
    templates = list(built_in_for(unit_type))
    records = ScoringTemplateVersion.objects.filter(unit_type=unit_type, is_active=True)
    templates.extend(template_of(record) for record in records)
    return sorted(templates, key=lambda template: (template.code, template.version))
