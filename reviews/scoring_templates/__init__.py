"""The scoring templates the platform ships, one module per standard and version.

``TEMPLATES`` is keyed by ``code@version`` (``green-factory@2025``). A new version of a
standard is a new module beside the old one: sheets already scored keep pointing at the version
they were scored with.
"""

from greenmfg.rules import UNIT_TYPES
from reviews.scoring import ScoringTemplate
from reviews.scoring_templates import (
    green_factory_2018,
    green_factory_2025,
    green_park_2016,
    green_supply_chain_2016,
)

TEMPLATES: dict[str, ScoringTemplate] = {
    module.TEMPLATE.key: module.TEMPLATE
    for module in (
        green_factory_2018,
        green_factory_2025,
        green_park_2016,
        green_supply_chain_2016,
    )
}


def templates_for(unit_type: str) -> list[ScoringTemplate]:
    """The templates for ``unit_type``, by code then version (a unit type may have none yet).

    Raises ValueError for a unit type the platform does not know.
    """
    if unit_type not in UNIT_TYPES:
        raise ValueError(f"未知的单位类型：{unit_type!r}（可用：{'、'.join(UNIT_TYPES)}）")
    return sorted(
        (template for template in TEMPLATES.values() if template.unit_type == unit_type),
        key=lambda template: (template.code, template.version),
    )
