"""导入存量名单单位: units already on a published list, brought in from a spreadsheet.

The framework (greenmfg.core.imports) reads the file, parses each cell by its column and holds
the transaction; this importer checks each row against the directory and the lists, and writes.

A row names a unit by its 统一社会信用代码 (checked as at registration): an organisation with
that code is matched, otherwise it is created (an enterprise, or a park's management body) in
the row's region — a county or functional zone, by GB/T 2260 code or by name, matched in the
importer's subtree; a name that matches several places is an error naming them. The level and
type must be ones the unit's city's policy has; a design product names its product and model;
the validity is the policy's term (济南 市级: three years) unless the row gives it.

A listing is the same listing when the organisation, level, type and year (and, for a design
product, the product and model) are the same: a row that matches one with the same facts is
``unchanged`` — so importing the same file again changes nothing — and one with other facts is
an error (a listed unit's changes are recorded on its page, not by re-import). Each listing is
written as the publication writes it (status, province and city, the publishing bureau as its
authority), with an ``imported`` history entry, an audit row and its import run, which keeps
the source file; dynamic management then treats it as any other listing.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import APPLICANT_KIND_BY_UNIT_TYPE, POLICY_LABELS, UnitType
from greenmfg.accounts.scoping import scope_root
from greenmfg.audit.services import audit_each
from greenmfg.core import clock
from greenmfg.core.bulk import insert_rows
from greenmfg.core.imports.cells import collapse_spaces, short_text
from greenmfg.core.imports.spec import (
    CellError,
    Column,
    Outcome,
    Progress,
    Row,
    RowError,
    RowResult,
    check_each,
    chunks,
)
from greenmfg.directory.credit_code import ALPHABET, normalise, validate_credit_code
from greenmfg.directory.models import (
    LEVEL_DEPTH,
    Jurisdiction,
    Level,
    Organisation,
    OrganisationCount,
)
from greenmfg.directory.selectors import RegionMatchError, region_matcher
from greenmfg.rules.registry import UNIT_TYPES, policy_of_path, unit_types
from greenmfg.rules.reports import intake_for, round_end
from registry.models import Listing, ListingEvent
from registry.services.listing import listing_term_end
from registry.workflow import AUDIT_ACTIONS, IMPORT, NEW, STATE_LABELS, listing_workflow, role_of

__all__ = ["KIND", "ListingImporter", "Regions", "policy_levels"]

KIND = "listings"
LEVEL_NAMES = {
    **{str(label): value for value, label in Level.choices},
    "国家": Level.NATIONAL,
    "省级": Level.PROVINCE,
    "市级": Level.CITY,
    "县级": Level.COUNTY,
    "区级": Level.COUNTY,
    "区县级": Level.COUNTY,
    "县区级": Level.COUNTY,
    "县(区)级": Level.COUNTY,
    **{value: value for value in Level.values},
}
TYPE_NAMES = {
    **{label: value for value, label in UNIT_TYPES.items()},
    **{value: value for value in UNIT_TYPES},
}
LEVEL_LABELS = dict(Level.choices)
DATE_SHAPES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
NAME_MAX = Listing._meta.get_field("unit_name").max_length
PRODUCT_MAX = Listing._meta.get_field("product_name").max_length
NUMBER_MAX = Listing._meta.get_field("document_number").max_length


# --- cells -------------------------------------------------------------------------------------


_name = short_text(NAME_MAX, gettext_lazy("单位名称不能超过 %(n)d 个字。"))


# GB 32100 as stdnum's uscc checks it (8 digits, then the alphabet; the weighted check
# character), computed here without stdnum's per-character cleaning: a file's 10,000 codes in a
# few milliseconds. Anything this does not accept goes to the validator for its exact message.
USCC_SHAPE = re.compile(r"[0-9]{8}[0-9A-HJ-NPQRTUWXY]{10}")
USCC_ALPHABET = {character: index for index, character in enumerate(ALPHABET)}
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _quick_credit_code(text: str) -> str | None:
    code = text.strip().upper()
    if not USCC_SHAPE.fullmatch(code):
        return None
    total = sum(USCC_ALPHABET[c] * w for c, w in zip(code, USCC_WEIGHTS, strict=False))
    return code if code[-1] == ALPHABET[(31 - total) % 31] else None


def _credit_code(text: str) -> str:
    quick = _quick_credit_code(text)
    if quick is not None:
        return quick
    code = normalise(text)
    try:
        validate_credit_code(code)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None
    return code


def _level(text: str) -> str:
    key = text.replace("（", "(").replace("）", ")").replace(" ", "")
    level = LEVEL_NAMES.get(key) or LEVEL_NAMES.get(text)
    if level is None:
        raise CellError(
            _("「%(value)s」不是名单层级，应为：%(levels)s。")
            % {"value": text, "levels": "、".join(str(label) for label in LEVEL_LABELS.values())}
        )
    return level


def _unit_type(text: str) -> str:
    unit_type = TYPE_NAMES.get(text.replace(" ", ""))
    if unit_type is None:
        raise CellError(
            _("「%(value)s」不是名单类型，应为：%(types)s。")
            % {"value": text, "types": "、".join(UNIT_TYPES.values())}
        )
    return unit_type


def _year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text.removesuffix("年")):
        raise CellError(_("年度「%(value)s」应为四位数字，如 2024。") % {"value": text})
    year = int(text.removesuffix("年"))
    if year > clock.today().year:
        raise CellError(
            _("年度 %(year)d 晚于今年（%(now)d 年），不能导入将来的名单。")
            % {"year": year, "now": clock.today().year}
        )
    if year < 2000:
        raise CellError(_("年度 %(year)d 早于 2000 年，请核对。") % {"year": year})
    return year


def _date(text: str) -> datetime.date:
    for shape in DATE_SHAPES:
        found = shape.match(text)
        if found:
            try:
                return datetime.date(*(int(part) for part in found.groups()))
            except ValueError:
                break
    raise CellError(_("「%(value)s」不是有效日期，请写成 2024-06-30。") % {"value": text})


def _past_date(text: str) -> datetime.date:
    day = _date(text)
    if day > clock.today():
        raise CellError(
            _("发布日期 %(day)s 晚于今天（%(today)s），不能导入将来的名单。")
            % {"day": day.isoformat(), "today": clock.today().isoformat()}
        )
    return day


def _document_number(text: str) -> str:
    if len(text) > NUMBER_MAX:
        raise CellError(_("发文文号不能超过 %(n)d 个字。") % {"n": NUMBER_MAX})
    return text


def _product(text: str) -> str:
    if len(text) > PRODUCT_MAX:
        raise CellError(_("不能超过 %(n)d 个字。") % {"n": PRODUCT_MAX})
    return collapse_spaces(text)


COLUMNS = (
    Column("单位名称", "unit_name", _name, True, "名单上的单位全称", "洛阳示例制造有限公司"),
    Column(
        "统一社会信用代码",
        "credit_code",
        _credit_code,
        True,
        "18 位，按注册时的规则校验（GB 32100）",
        "91410311MA44XXXXXX",
    ),
    Column(
        "名单层级",
        "level",
        _level,
        True,
        "国家级、省级、市级、县（区）级；须为所在地政策设有的层级",
        "市级",
        aliases=("层级",),
    ),
    Column(
        "名单类型",
        "unit_type",
        _unit_type,
        True,
        "绿色工厂、绿色工业园区、绿色供应链管理企业、绿色设计产品",
        "绿色工厂",
        aliases=("类型",),
    ),
    Column("年度", "year", _year, True, "名单年度，四位数字", "2024"),
    Column("发文文号", "document_number", _document_number, True, "公布名单的文件文号", ""),
    Column("发布日期", "listed_on", _past_date, True, "公布名单的日期，如 2024-06-30", ""),
    Column(
        "所在地区",
        "region",
        str,
        True,
        "单位所在县（区）或功能区：六位行政区划代码或名称（重名时填代码）",
        "410311",
    ),
    Column("产品名称", "product_name", _product, False, "仅绿色设计产品填写，必填", ""),
    Column("产品型号", "product_model", _product, False, "仅绿色设计产品填写", ""),
    Column(
        "有效期至",
        "valid_until",
        _date,
        False,
        "留空则按政策计算（济南市级名单三年）；政策未设有效期的名单须留空",
        "",
    ),
)


# --- the policy's levels and the region ------------------------------------------------------


@functools.cache
def policy_levels(policy: str) -> frozenset[str]:
    """The list levels a unit under ``policy`` can be on: the levels it applies to that end in a
    list of their own (大连's city round recommends straight to the ministry), the levels a
    round there recommends to, and every level above (recommended from the list below)."""
    intake = intake_for(policy)
    levels = {level for level in intake.levels if round_end(policy, level).lists}
    levels |= {
        round_end(policy, level).recommends_to
        for level in intake.levels
        if round_end(policy, level).recommends_to
    }
    lowest = max(LEVEL_DEPTH[level] for level in intake.levels)
    levels |= {level for level, depth in LEVEL_DEPTH.items() if depth < lowest}
    return frozenset(levels)


@functools.cache
def _unit_types(policy: str) -> tuple[str, ...]:
    return tuple(unit_types(policy))


@dataclass(frozen=True)
class Place:
    id: int
    key: str
    code: str
    name: str
    level: str
    path: str
    parent_name: str
    # As set_province_and_city sets them on the unit and its listing.
    province_id: int | None = None
    city_id: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.parent_name}{self.name}"

    def ancestor_key(self, depth: int) -> str:
        return self.path.strip("/").split("/")[depth]


class Regions:
    """The rows' regions, by the directory's one matching rule (``region_matcher``: a code, a
    functional zone's key, a former code or name, a name alone or after its ancestors' names)
    in the importer's subtree, on the tree loaded once; a refusal names the row's text and,
    when several places bear the name, each of them with its code."""

    def __init__(self, *, actor):
        self.match = region_matcher(within=scope_root(actor))
        self._places: dict[int, Place] = {}

    def place(self, text: str) -> Place:
        try:
            return self._place(self.match(text))
        except RegionMatchError as error:
            raise CellError(self._reason("".join(text.split()), error)) from None

    def _place(self, node: Jurisdiction) -> Place:
        place = self._places.get(node.pk)
        if place is None:
            by_key = self.match.by_key
            keys = node.path.strip("/").split("/")
            parent = by_key.get(keys[-2]) if len(keys) > 1 else None

            def ancestor(depth: int) -> int | None:
                return by_key[keys[depth]].pk if len(keys) > depth else None

            place = self._places[node.pk] = Place(
                node.pk,
                node.key,
                node.code,
                node.name,
                node.level,
                node.path,
                parent.name if parent is not None and node.level == Level.COUNTY else "",
                ancestor(1),
                ancestor(2),
            )
        return place

    def _reason(self, text: str, error: RegionMatchError) -> str:
        if error.code == "ambiguous":
            return _("地区「%(text)s」对应多个区划：%(places)s，请改填六位行政区划代码。") % {
                "text": text,
                "places": "、".join(
                    f"{place.full_name}（{place.code or place.key}）"
                    for place in map(self._place, error.candidates)
                ),
            }
        if self.match.within is not None:
            try:
                outside = self._place(self.match(text, within=None)).full_name
            except RegionMatchError as elsewhere:
                outside = text if elsewhere.code == "ambiguous" else None
            if outside is not None:
                return _("「%(name)s」不在您的管辖范围内。") % {"name": outside}
        return _("未找到地区「%(text)s」：请填写县（区）或功能区的六位行政区划代码或准确名称。") % {
            "text": text
        }


# --- the importer ------------------------------------------------------------------------------


def _identity(organisation, values: dict) -> tuple:
    return (
        organisation,
        values["level"],
        values["unit_type"],
        values["year"],
        values["product_name"] or "",
        values["product_model"] or "",
    )


LISTING_FACTS = (
    ("unit_name", "单位名称"),
    ("document_number", "发文文号"),
    ("listed_on", "发布日期"),
    ("jurisdiction_id", "所在地区"),
    ("valid_until", "有效期至"),
)


class ListingImporter:
    kind = KIND
    title = gettext_lazy("导入存量名单单位")
    matched_label = gettext_lazy("匹配已有单位")
    label_key = "unit_name"
    columns = COLUMNS

    def allowed(self, actor) -> bool:
        return bool(actor.is_authenticated and (actor.is_official or actor.is_sysadmin))

    # -- check --------------------------------------------------------------------------------

    def check(self, rows: list[Row], *, actor, progress: Progress) -> list[RowResult]:
        regions = Regions(actor=actor)
        codes = sorted({row.values["credit_code"] for row in rows})
        organisations: dict[str, dict] = {}
        for part in chunks(codes):
            for found in Organisation.objects.filter(credit_code__in=part).values(
                "id", "name", "kind", "credit_code", "jurisdiction_id", "jurisdiction__name"
            ):
                organisations[found["credit_code"]] = found
        existing: dict[tuple, dict] = {}
        ids = [found["id"] for found in organisations.values()]
        for part in chunks(ids):
            for listing in Listing.objects.filter(organisation_id__in=part).values(
                "id",
                "organisation_id",
                "level",
                "unit_type",
                "year",
                "product_name",
                "product_model",
                *(field for field, _label in LISTING_FACTS),
            ):
                key = _identity(listing["organisation_id"], listing)
                existing[key] = listing
        # The publishing bureau of each place: its first registered bureau.
        bureaus: dict[str, int] = {}
        for place_key, pk in (
            Organisation.objects.filter(kind=Organisation.Kind.BUREAU)
            .order_by("id")
            .values_list("jurisdiction__key", "id")
        ):
            bureaus.setdefault(place_key, pk)
        progress(30)
        first_of_code: dict[str, Row] = {}
        first_of_listing: dict[tuple, int] = {}
        results = check_each(
            rows,
            lambda row: self._check_row(
                row, regions, organisations, existing, bureaus, first_of_code, first_of_listing
            ),
            label="unit_name",
            progress=progress,
            start=30,
        )
        self._refuse_name_clashes(rows, results)
        return results

    def _check_row(
        self, row, regions, organisations, existing, bureaus, first_of_code, first_of_listing
    ) -> RowResult:
        values = row.values
        try:
            place = regions.place(values["region"])
        except CellError as error:
            raise RowError("所在地区", error.message) from None
        if place.level != Level.COUNTY:
            raise RowError(
                "所在地区",
                _("「%(name)s」是%(level)s，请填写单位所在的县（区）或功能区。")
                % {"name": place.full_name, "level": LEVEL_LABELS[place.level]},
            )
        level, unit_type = values["level"], values["unit_type"]
        policy = policy_of_path(place.path)
        if policy:
            label = POLICY_LABELS.get(policy, policy)
            levels = policy_levels(policy)
            if level not in levels:
                raise RowError(
                    "名单层级",
                    _("%(place)s适用的《%(policy)s》没有%(level)s名单（设有：%(levels)s）。")
                    % {
                        "place": place.full_name,
                        "policy": label,
                        "level": LEVEL_LABELS[level],
                        "levels": "、".join(
                            str(LEVEL_LABELS[one]) for one in Level.values if one in levels
                        ),
                    },
                )
            types = _unit_types(policy)
            if unit_type not in types:
                raise RowError(
                    "名单类型",
                    _("%(place)s适用的《%(policy)s》没有%(type)s（设有：%(types)s）。")
                    % {
                        "place": place.full_name,
                        "policy": label,
                        "type": UNIT_TYPES[unit_type],
                        "types": "、".join(UNIT_TYPES[one] for one in types),
                    },
                )
        if unit_type == UnitType.DESIGN_PRODUCT:
            if not values["product_name"]:
                raise RowError("产品名称", _("绿色设计产品须填写产品名称。"))
        else:
            for key, header in (("product_name", "产品名称"), ("product_model", "产品型号")):
                if values[key]:
                    raise RowError(header, _("只有绿色设计产品填写产品名称和型号，本行应留空。"))
        term = listing_term_end(policy=policy, level=level, listed_on=values["listed_on"])
        if values["valid_until"] is not None:
            if term is None:
                raise RowError(
                    "有效期至",
                    _("该政策的%(level)s名单未设有效期，本列应留空。")
                    % {"level": LEVEL_LABELS[level]},
                )
            if values["valid_until"] <= values["listed_on"]:
                raise RowError("有效期至", _("有效期应晚于发布日期。"))
        valid_until = values["valid_until"] or term
        if values["year"] > values["listed_on"].year + 1:
            raise RowError(
                "年度",
                _("年度 %(year)d 晚于发布日期（%(day)s），请核对。")
                % {"year": values["year"], "day": values["listed_on"].isoformat()},
            )
        authority_key = place.ancestor_key(LEVEL_DEPTH[level])
        authority = bureaus.get(authority_key)
        if authority is None:
            raise RowError(
                "名单层级",
                _("未找到%(level)s名单的发布单位（「%(key)s」的工业和信息化主管部门未登记）。")
                % {"level": LEVEL_LABELS[level], "key": authority_key},
            )
        code = values["credit_code"]
        wanted_kind = APPLICANT_KIND_BY_UNIT_TYPE[unit_type]
        organisation = organisations.get(code)
        if organisation is not None:
            if organisation["kind"] not in (Organisation.Kind.ENTERPRISE, Organisation.Kind.PARK):
                raise RowError(
                    "统一社会信用代码",
                    _("该代码属于「%(name)s」（%(kind)s），不能列入绿色制造名单。")
                    % {
                        "name": organisation["name"],
                        "kind": Organisation.Kind(organisation["kind"]).label,
                    },
                )
            if organisation["kind"] != wanted_kind:
                raise RowError(
                    "名单类型",
                    _("「%(name)s」登记为%(kind)s，不能列入%(type)s名单。")
                    % {
                        "name": organisation["name"],
                        "kind": Organisation.Kind(organisation["kind"]).label,
                        "type": UNIT_TYPES[unit_type],
                    },
                )
            if organisation["jurisdiction_id"] != place.id:
                raise RowError(
                    "所在地区",
                    _(
                        "「%(name)s」登记在%(registered)s，与本行的所在地区「%(place)s」不同，请核对。"
                    )
                    % {
                        "name": organisation["name"],
                        "registered": organisation["jurisdiction__name"],
                        "place": place.full_name,
                    },
                )
            owner = organisation["id"]
            outcome = Outcome.MATCHED
        else:
            first = first_of_code.setdefault(code, row)
            if first is not row:
                for key, header in (("unit_name", "单位名称"), ("region", "所在地区")):
                    if first.values[key] != values[key]:
                        raise RowError(
                            header,
                            _("与第 %(row)d 行统一社会信用代码相同，但%(header)s不同。")
                            % {"row": first.number, "header": header},
                        )
            owner = f"code:{code}"
            outcome = Outcome.NEW
        key = _identity(owner, values)
        earlier = first_of_listing.setdefault(key, row.number)
        if earlier != row.number:
            raise RowError(
                "统一社会信用代码",
                _("与第 %(row)d 行重复：同一单位的同一层级、类型、年度的名单只能有一行。")
                % {"row": earlier},
            )
        values.update(
            _place=place,
            _authority=authority,
            _organisation=organisation["id"] if organisation else None,
            _kind=wanted_kind,
            _valid_until=valid_until,
        )
        found = existing.get(key)
        if found is not None:
            mine = {
                "unit_name": values["unit_name"],
                "document_number": values["document_number"],
                "listed_on": values["listed_on"],
                "jurisdiction_id": place.id,
                "valid_until": valid_until,
            }
            for field, header in LISTING_FACTS:
                if found[field] != mine[field]:
                    raise RowError(
                        header,
                        _(
                            "名单上已有该单位%(year)d年度%(level)s%(type)s（发文文号 %(number)s），"
                            "其%(header)s与本行不同；已在名单上的单位请在名单管理中记录变更。"
                        )
                        % {
                            "year": values["year"],
                            "level": LEVEL_LABELS[level],
                            "type": UNIT_TYPES[unit_type],
                            "number": found["document_number"],
                            "header": header,
                        },
                    )
            outcome = Outcome.UNCHANGED
        return RowResult(
            row.number,
            outcome,
            label=values["unit_name"],
            reason=_("匹配单位：%(name)s") % {"name": organisation["name"]}
            if outcome == Outcome.MATCHED
            else "",
        )

    def _refuse_name_clashes(self, rows: list[Row], results: list[RowResult]) -> None:
        """A new organisation may not take the name of another one of its kind in its county
        (the directory's constraint), which holds another credit code."""
        new = [
            (row, result)
            for row, result in zip(rows, results, strict=True)
            if result.outcome == Outcome.NEW
        ]
        if not new:
            return
        names = {row.values["unit_name"] for row, _result in new}
        taken = set()
        for part in chunks(sorted(names)):
            taken.update(
                Organisation.objects.filter(name__in=part).values_list(
                    "kind", "jurisdiction_id", "name"
                )
            )
        first_with_name: dict[tuple, Row] = {}
        for row, result in new:
            key = (row.values["_kind"], row.values["_place"].id, row.values["unit_name"])
            first = first_with_name.setdefault(key, row)
            if first.values["credit_code"] != row.values["credit_code"]:
                result.outcome = Outcome.ERROR
                result.column = "单位名称"
                result.reason = _(
                    "与第 %(row)d 行单位名称、所在地区相同，但统一社会信用代码不同，请核对。"
                ) % {"row": first.number}
            elif key in taken:
                result.outcome = Outcome.ERROR
                result.column = "单位名称"
                result.reason = _(
                    "「%(name)s」在%(place)s已登记，但统一社会信用代码不同，请核对。"
                ) % {"name": key[2], "place": row.values["_place"].full_name}

    # -- write ---------------------------------------------------------------------------------

    def write(self, rows, results, *, actor, run, progress: Progress) -> int:
        transition = listing_workflow.resolve(
            state=NEW, action=IMPORT, role=role_of(actor), service="import"
        )
        created = self._create_organisations(rows, actor=actor, run=run)
        progress(20)
        listings = [
            {
                "organisation_id": row.values["_organisation"]
                or created[row.values["credit_code"]],
                "jurisdiction_id": row.values["_place"].id,
                "province_id": row.values["_place"].province_id,
                "city_id": row.values["_place"].city_id,
                "unit_type": row.values["unit_type"],
                "product_name": row.values["product_name"] or "",
                "product_model": row.values["product_model"] or "",
                "level": row.values["level"],
                "year": row.values["year"],
                "authority_id": row.values["_authority"],
                "unit_name": row.values["unit_name"],
                "credit_code": row.values["credit_code"],
                "document_number": row.values["document_number"],
                "listed_on": row.values["listed_on"],
                "valid_until": row.values["_valid_until"],
                "status": transition.target,
                "import_run_id": run.pk,
                "created_by_id": actor.pk,
            }
            for row in rows
        ]
        # Set-based (COPY on PostgreSQL): 10,000 rows in well under the 10 s the issue allows.
        listing_ids = [pk for (pk,) in insert_rows(Listing, listings)]
        progress(50)
        reason = _("由导入文件「%(name)s」（SHA-256 %(sha)s）第 %(row)s 行导入。")
        event_ids = [
            pk
            for (pk,) in insert_rows(
                ListingEvent,
                [
                    {
                        "listing_id": pk,
                        "kind": ListingEvent.Kind.IMPORTED.value,
                        "occurred_on": listing["listed_on"],
                        "document_number": listing["document_number"],
                        "new_value": listing["unit_name"],
                        "reason": reason
                        % {"name": run.original_name, "sha": run.sha256[:12], "row": row.number},
                        "created_by_id": actor.pk,
                    }
                    for pk, listing, row in zip(listing_ids, listings, rows, strict=True)
                ],
            )
        ]
        progress(70)
        audit_each(
            Listing,
            (
                (
                    pk,
                    f"{listing['unit_name']} · {LEVEL_LABELS[listing['level']]}"
                    f"{UNIT_TYPES[listing['unit_type']]}",
                    {
                        "action": AUDIT_ACTIONS[IMPORT],
                        "action_label": transition.label,
                        "to_state": listing["status"],
                        "state_labels": STATE_LABELS,
                        "data": {
                            "event": event,
                            "occurred_on": listing["listed_on"].isoformat(),
                            "document_number": listing["document_number"],
                            "import_run": run.pk,
                            "sha256": run.sha256,
                            "row": row.number,
                        },
                    },
                )
                for pk, event, listing, row in zip(
                    listing_ids, event_ids, listings, rows, strict=True
                )
            ),
            actor=actor,
        )
        return len(listings)

    def _create_organisations(self, rows, *, actor, run) -> dict[str, int]:
        """The rows' new organisations, once per credit code (status 正常: they are listed),
        counted in OrganisationCount as a save would count them."""
        new: dict[str, dict] = {}
        for row in rows:
            code = row.values["credit_code"]
            if row.values["_organisation"] is None and code not in new:
                place = row.values["_place"]
                new[code] = {
                    "name": row.values["unit_name"],
                    "kind": row.values["_kind"],
                    "credit_code": code,
                    "jurisdiction_id": place.id,
                    "province_id": place.province_id,
                    "city_id": place.city_id,
                    "status": Organisation.Status.ACTIVE.value,
                    "_path": place.path,
                }
        if not new:
            return {}
        paths = [organisation.pop("_path") for organisation in new.values()]
        ids = [pk for (pk,) in insert_rows(Organisation, list(new.values()))]
        deltas: dict[tuple[str, str, str], int] = {}
        for organisation, path in zip(new.values(), paths, strict=True):
            key = (path, organisation["kind"], organisation["status"])
            deltas[key] = deltas.get(key, 0) + 1
        OrganisationCount.objects.shift(deltas)
        audit_each(
            Organisation,
            (
                (
                    pk,
                    organisation["name"],
                    {
                        "action": "create",
                        "action_label": _("导入名单时登记单位"),
                        "to_state": organisation["status"],
                        "data": {"import_run": run.pk, "sha256": run.sha256},
                    },
                )
                for pk, organisation in zip(ids, new.values(), strict=True)
            ),
            actor=actor,
        )
        return dict(zip(new, ids, strict=True))
