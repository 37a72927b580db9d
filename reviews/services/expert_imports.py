"""导入专家库成员: the experts of a pool brought in from a spreadsheet.

The framework (greenmfg.core.imports) reads the file, parses each cell by its column and holds
the transaction; this importer checks each row against the accounts and the pools, and writes
through :func:`reviews.services.expert.expert_add` — an imported member is exactly one added by
hand (the same validation, audit row and notice to the expert).

An expert is a login account of role 评审专家 whose 所属单位 is what the conflict-of-interest
checks compare (reviews.selectors.expert.conflict_reasons). A bureau's experts mostly work at
universities, institutes and design institutes that never register on the portal, so the row's
所在单位 is the directory's organisation of that 统一社会信用代码 or exact name when there is one,
and otherwise a new organisation of that name is created when the file is applied: a
高校/科研院所/其他单位 (which needs no credit code and can apply for nothing) in the pool's
place, its audit row naming the import. The preview says so on the row. An unknown credit code
is still an error: it gives no name to create the employer under.

The stable key of an expert is the 手机号码 (User.phone, normalised to 11 digits): names repeat,
and a person keeps their mobile number across employers. A row whose number belongs to an
expert account is ``matched`` (that account joins the pool); an account whose name or
organisation differs from the row's is an error — the import never edits an account. A new
number creates the account: username ``expert-<手机号码>``, no usable password (the system
administrator sets one), its email if the row gives one. A member already in the pool with the
same 专业领域, 职称 and years is ``unchanged``, so importing the same file again changes nothing;
with other facts the row is an error (edit the member on its page).

Who imports is who keeps a pool: a city, province or national official into their own bureau's
pool (as :func:`~reviews.services.expert.expert_add`), an administrator into any of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenmfg.accounts.models import User
from greenmfg.accounts.roles import Role
from greenmfg.audit.services import audit_record
from greenmfg.core import clock
from greenmfg.core.imports.cells import collapse_spaces, email_address, short_text
from greenmfg.core.imports.spec import (
    CellError,
    Column,
    Outcome,
    Progress,
    Row,
    RowError,
    RowResult,
    check_each,
)
from greenmfg.directory.credit_code import normalise, validate_credit_code
from greenmfg.directory.models import Level, Organisation
from reviews.models import ExpertField, ExpertMembership
from reviews.selectors.expert import keeps_expert_pool
from reviews.services.expert import FIRST_YEAR, LAST_YEAR, expert_add

__all__ = ["COLUMNS", "KIND", "ExpertImporter", "expert_username"]

KIND = "experts"
NAME_MAX = User._meta.get_field("full_name").max_length
TITLE_MAX = ExpertMembership._meta.get_field("title").max_length
ORGANISATION_MAX = Organisation._meta.get_field("name").max_length
# The kind of an employer the import creates: the one non-government kind without a credit code.
EMPLOYER_KIND = Organisation.Kind.INSTITUTION
FIELD_NAMES = {
    **{str(label): value for value, label in ExpertField.choices},
    **{value: value for value in ExpertField.values},
}
FIELD_LABELS = dict(ExpertField.choices)
MOBILE = re.compile(r"1[3-9]\d{9}")
CODE_SHAPE = re.compile(r"[0-9A-Za-z]{18}")


def expert_username(phone: str) -> str:
    """The login name of an imported expert's new account."""
    return f"expert-{phone}"


# --- cells -------------------------------------------------------------------------------------


def _phone(text: str) -> str:
    digits = re.sub(r"[\s\-]", "", text)
    digits = digits.removeprefix("+86").removeprefix("0086")
    if not MOBILE.fullmatch(digits):
        raise CellError(
            _("「%(value)s」不是有效的手机号码：应为 11 位数字，以 1 开头。") % {"value": text}
        )
    return digits


def _field(text: str) -> str:
    field = FIELD_NAMES.get(text.replace(" ", ""))
    if field is None:
        raise CellError(
            _("「%(value)s」不是专业领域，应为：%(fields)s。")
            % {"value": text, "fields": "、".join(str(label) for label in FIELD_LABELS.values())}
        )
    return field


def _year(text: str) -> int:
    value = text.removesuffix("年")
    if not re.fullmatch(r"\d{4}", value) or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise CellError(
            _("「%(value)s」不是有效年度：应为 %(first)d 至 %(last)d 之间的四位数字。")
            % {"value": text, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return int(value)


_name = short_text(NAME_MAX, gettext_lazy("姓名不能超过 %(n)d 个字。"))
_title = short_text(TITLE_MAX, gettext_lazy("职称不能超过 %(n)d 个字。"))
_email = email_address(gettext_lazy("「%(value)s」不是有效的电子邮箱。"), lowercase=True)
_employer = short_text(ORGANISATION_MAX, gettext_lazy("所在单位不能超过 %(n)d 个字。"))


COLUMNS = (
    Column("姓名", "full_name", _name, True, "专家姓名", "张明"),
    Column(
        "手机号码",
        "phone",
        _phone,
        True,
        "11 位手机号码；用于识别同一专家（重复导入不会重复建账号）",
        "13800000000",
        aliases=("联系电话", "手机"),
    ),
    Column(
        "所在单位",
        "organisation",
        _employer,
        True,
        "专家工作单位的准确全称（用于利益冲突回避），或已登记单位的统一社会信用代码；"
        "系统中没有的单位在导入时按全称新建",
        "洛阳示范绿色制造研究院（演示）",
        aliases=("工作单位",),
    ),
    Column(
        "专业领域",
        "field",
        _field,
        True,
        "、".join(str(label) for label in FIELD_LABELS.values()),
        "节能",
    ),
    Column("职称", "title", _title, True, "如：正高级工程师、教授", "正高级工程师"),
    Column(
        "专家库",
        "pool",
        collapse_spaces,
        True,
        "加入的专家库：所属工信部门的全称，或其行政区划代码（如 410300）",
        "洛阳市工业和信息化局",
        aliases=("所属专家库",),
    ),
    Column("电子邮箱", "email", _email, False, "新建账号时使用；可留空", ""),
    Column("入库年度", "active_from", _year, False, "留空为今年", ""),
    Column("截止年度", "active_until", _year, False, "留空表示长期有效", ""),
)


# --- the importer ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewEmployer:
    """An employer the directory does not hold yet, created on apply in ``jurisdiction``."""

    name: str
    jurisdiction_id: int
    place: str


def _bureaus() -> tuple[dict[str, list[Organisation]], dict[str, Organisation]]:
    """The bureaus that keep a pool, by name and by their place's code (the first registered)."""
    by_name: dict[str, list[Organisation]] = {}
    by_code: dict[str, Organisation] = {}
    bureaus = (
        Organisation.objects.filter(kind=Organisation.Kind.BUREAU)
        .exclude(jurisdiction__level=Level.COUNTY)
        .select_related("jurisdiction")
        .order_by("id")
    )
    for bureau in bureaus:
        by_name.setdefault(bureau.name, []).append(bureau)
        for key in (bureau.jurisdiction.code, bureau.jurisdiction.key):
            if key:
                by_code.setdefault(key, bureau)
    return by_name, by_code


class ExpertImporter:
    kind = KIND
    title = gettext_lazy("导入专家库成员")
    matched_label = gettext_lazy("匹配已有专家")
    label_key = "full_name"
    columns = COLUMNS

    def allowed(self, actor) -> bool:
        return keeps_expert_pool(user=actor)

    # -- check --------------------------------------------------------------------------------

    def check(self, rows: list[Row], *, actor, progress: Progress) -> list[RowResult]:
        phones = {row.values["phone"] for row in rows}
        accounts: dict[str, list[User]] = {}
        for user in User.objects.filter(phone__in=phones).select_related("organisation"):
            accounts.setdefault(user.phone, []).append(user)
        usernames = set(
            User.objects.filter(
                username__in=[expert_username(phone) for phone in phones]
            ).values_list("username", flat=True)
        )
        texts = {row.values["organisation"] for row in rows}
        codes = {normalise(text) for text in texts if CODE_SHAPE.fullmatch(text)}
        organisations = list(
            Organisation.objects.filter(name__in=texts)
            | Organisation.objects.filter(credit_code__in=codes)
        )
        bureaus_by_name, bureaus_by_code = _bureaus()
        expert_ids = [user.pk for users in accounts.values() for user in users]
        memberships = {
            (membership.authority_id, membership.expert_id): membership
            for membership in ExpertMembership.objects.filter(expert_id__in=expert_ids)
        }
        context = {
            "actor": actor,
            "accounts": accounts,
            "usernames": usernames,
            "organisations": organisations,
            "bureaus_by_name": bureaus_by_name,
            "bureaus_by_code": bureaus_by_code,
            "memberships": memberships,
            "first_of_phone": {},
            "first_in_pool": {},
            "new_employers": {},
        }
        return check_each(
            rows,
            lambda row: self._check_row(row, **context),
            label="full_name",
            progress=progress,
        )

    def _organisation_of(
        self, text: str, organisations: list[Organisation], *, pool: Organisation, new_employers
    ) -> Organisation | NewEmployer:
        if CODE_SHAPE.fullmatch(text):
            code = normalise(text)
            try:
                validate_credit_code(code)
            except ValidationError as error:
                raise RowError("所在单位", error.messages[0]) from None
            found = [org for org in organisations if org.credit_code == code]
            if not found:
                raise RowError(
                    "所在单位",
                    _("未找到统一社会信用代码为 %(code)s 的单位：请先登记该单位。")
                    % {"code": code},
                )
            return found[0]
        found = [org for org in organisations if org.name == text]
        if len(found) > 1:
            raise RowError(
                "所在单位",
                _("「%(name)s」对应多个单位，请改填统一社会信用代码：%(codes)s。")
                % {
                    "name": text,
                    "codes": "、".join(org.credit_code or str(org.pk) for org in found),
                },
            )
        if not found:
            # The first row naming it decides where it is registered: its pool's place.
            return new_employers.setdefault(
                text, NewEmployer(text, pool.jurisdiction_id, pool.jurisdiction.name)
            )
        return found[0]

    def _pool_of(self, text: str, *, actor, bureaus_by_name, bureaus_by_code) -> Organisation:
        named = bureaus_by_name.get(text, [])
        if len(named) > 1:
            raise RowError(
                "专家库",
                _("「%(name)s」对应多个部门，请改填其行政区划代码。") % {"name": text},
            )
        pool = named[0] if named else bureaus_by_code.get(text)
        if pool is None:
            raise RowError(
                "专家库",
                _("未找到专家库「%(text)s」：请填写市、省或国家工信部门的全称或其行政区划代码。")
                % {"text": text},
            )
        if not actor.is_sysadmin and pool.pk != actor.organisation_id:
            raise RowError(
                "专家库",
                _("「%(pool)s」的专家库不在您的管理范围内：您只能导入「%(own)s」的专家库。")
                % {"pool": pool.name, "own": actor.organisation.name},
            )
        return pool

    def _check_row(
        self,
        row: Row,
        *,
        actor,
        accounts,
        usernames,
        organisations,
        bureaus_by_name,
        bureaus_by_code,
        memberships,
        first_of_phone,
        first_in_pool,
        new_employers,
    ) -> RowResult:
        values = row.values
        phone = values["phone"]
        active_from = values["active_from"] or clock.today().year
        active_until = values["active_until"]
        if active_until is not None and active_until < active_from:
            raise RowError("截止年度", _("截止年度不能早于入库年度。"))
        pool = self._pool_of(
            values["pool"],
            actor=actor,
            bureaus_by_name=bureaus_by_name,
            bureaus_by_code=bureaus_by_code,
        )
        organisation = self._organisation_of(
            values["organisation"], organisations, pool=pool, new_employers=new_employers
        )
        values["_organisation"] = organisation
        first = first_of_phone.setdefault(phone, row)
        if first is not row:
            for key, header in (("full_name", "姓名"), ("_organisation", "所在单位")):
                if first.values[key] != values[key]:
                    raise RowError(
                        header,
                        _("与第 %(row)d 行手机号码相同，但%(header)s不同。")
                        % {"row": first.number, "header": header},
                    )
        earlier = first_in_pool.setdefault((pool.pk, phone), row.number)
        if earlier != row.number:
            raise RowError(
                "手机号码",
                _("与第 %(row)d 行重复：同一专家在同一专家库中只能有一行。") % {"row": earlier},
            )
        found = accounts.get(phone, [])
        if len(found) > 1:
            raise RowError(
                "手机号码",
                _("手机号码 %(phone)s 对应多个账号（%(users)s），请联系系统管理员处理。")
                % {"phone": phone, "users": "、".join(user.username for user in found)},
            )
        expert = found[0] if found else None
        values.update(
            _pool=pool,
            _expert=expert,
            _active_from=active_from,
        )
        label = values["full_name"]
        if expert is None:
            if expert_username(phone) in usernames:
                raise RowError(
                    "手机号码",
                    _("账号名「%(username)s」已被其他账号使用，请联系系统管理员处理。")
                    % {"username": expert_username(phone)},
                )
            reason = ""
            if isinstance(organisation, NewEmployer):
                reason = _("将新建单位「%(name)s」（%(kind)s，所属区划：%(place)s）。") % {
                    "name": organisation.name,
                    "kind": EMPLOYER_KIND.label,
                    "place": organisation.place,
                }
            return RowResult(row.number, Outcome.NEW, label=label, reason=reason)
        if expert.role != Role.EXPERT:
            raise RowError(
                "手机号码",
                _("手机号码 %(phone)s 属于账号「%(name)s」，其角色是%(role)s，不是评审专家。")
                % {"phone": phone, "name": expert.display_name, "role": expert.get_role_display()},
            )
        if not expert.is_active:
            raise RowError(
                "手机号码",
                _("手机号码 %(phone)s 对应的账号「%(name)s」已停用。")
                % {"phone": phone, "name": expert.display_name},
            )
        if expert.full_name != values["full_name"]:
            raise RowError(
                "姓名",
                _("手机号码 %(phone)s 对应的专家是「%(name)s」，与本行姓名不同，请核对。")
                % {"phone": phone, "name": expert.display_name},
            )
        if isinstance(organisation, NewEmployer) or expert.organisation_id != organisation.pk:
            raise RowError(
                "所在单位",
                _(
                    "专家「%(name)s」登记的所在单位是「%(current)s」，与本行不同；"
                    "更换单位请由系统管理员修改其账号。"
                )
                % {
                    "name": expert.display_name,
                    "current": expert.organisation.name if expert.organisation_id else _("无"),
                },
            )
        membership = memberships.get((pool.pk, expert.pk))
        if membership is None:
            return RowResult(
                row.number,
                Outcome.MATCHED,
                label=label,
                reason=_("匹配已有专家账号：%(name)s（%(username)s）")
                % {"name": expert.display_name, "username": expert.username},
            )
        if not membership.is_active:
            raise RowError(
                "姓名",
                _("「%(name)s」已移出「%(pool)s」专家库，可在其编辑页恢复入库。")
                % {"name": expert.display_name, "pool": pool.name},
            )
        facts = (
            ("field", values["field"], "专业领域"),
            ("title", values["title"], "职称"),
            ("active_until", active_until, "截止年度"),
        )
        if values["active_from"] is not None:
            facts += (("active_from", values["active_from"], "入库年度"),)
        for field, mine, header in facts:
            if getattr(membership, field) != mine:
                raise RowError(
                    header,
                    _(
                        "「%(name)s」已在「%(pool)s」专家库中，其%(header)s与本行不同；"
                        "请在专家库中编辑该专家。"
                    )
                    % {"name": expert.display_name, "pool": pool.name, "header": header},
                )
        return RowResult(row.number, Outcome.UNCHANGED, label=label)

    # -- write ---------------------------------------------------------------------------------

    def write(self, rows, results, *, actor, run, progress: Progress) -> int:
        created: dict[str, User] = {}
        employers: dict[NewEmployer, Organisation] = {}
        for index, row in enumerate(rows):
            values = row.values
            expert = values["_expert"] or created.get(values["phone"])
            if expert is None:
                employer = values["_organisation"]
                if isinstance(employer, NewEmployer):
                    if employer not in employers:
                        employers[employer] = self._create_employer(
                            employer, row=row, actor=actor, run=run
                        )
                    values["_organisation"] = employers[employer]
                expert = self._create_account(row, actor=actor, run=run)
                created[values["phone"]] = expert
            expert_add(
                actor=actor,
                expert=expert,
                field=values["field"],
                title=values["title"],
                active_from=values["_active_from"],
                active_until=values["active_until"],
                authority=values["_pool"],
            )
            if index % 50 == 0:
                progress(100 * index // max(len(rows), 1))
        return len(rows)

    def _create_account(self, row: Row, *, actor, run) -> User:
        values = row.values
        expert = User.objects.create(
            username=expert_username(values["phone"]),
            password=make_password(None),  # unusable: the administrator sets one
            role=Role.EXPERT,
            organisation=values["_organisation"],
            full_name=values["full_name"],
            phone=values["phone"],
            email=values["email"] or "",
            is_active=True,
        )
        _audit_created(expert, _("导入专家时新建账号"), row=row, actor=actor, run=run)
        return expert

    def _create_employer(self, employer: NewEmployer, *, row: Row, actor, run) -> Organisation:
        organisation = Organisation.objects.create(
            name=employer.name,
            kind=EMPLOYER_KIND,
            jurisdiction_id=employer.jurisdiction_id,
            status=Organisation.Status.ACTIVE,
        )
        _audit_created(organisation, _("导入专家时登记所在单位"), row=row, actor=actor, run=run)
        return organisation


def _audit_created(subject, label: str, *, row: Row, actor, run) -> None:
    """The audit row of a record the import created, naming its run, file and row."""
    audit_record(
        subject=subject,
        actor=actor,
        action="create",
        action_label=label,
        data={"import_run": run.pk, "sha256": run.sha256, "row": row.number},
    )
