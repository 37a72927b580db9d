"""批量导入工作人员账号: the accounts of county, city (and higher) bureaus and departments,
brought in from a spreadsheet.

The framework (greenmfg.core.imports) reads the file, parses each cell by its column and holds
the transaction; this importer checks each row against the accounts and the directory, and
writes.

A row is one person: a username, their name, a staff role (an official of a level, or a
department's official — never an applicant, expert, agency or administrator), their
organisation and e-mail. The organisation is found by its 统一社会信用代码 where it has one, else
by its exact name among the organisations of the importer's subtree; a name that several of them
bear is an error naming each. The role must be one the organisation holds: an official's role is
its bureau's level (``OFFICIAL_ROLE_BY_LEVEL``), a department official sits in a department.

A username not yet taken is ``new``: the account is created without a usable password and,
once the apply commits, its person gets a set-password e-mail (Django's password-reset token
and confirm page, :mod:`greenmfg.accounts.invitations`). A username that is the same person's
(same name and e-mail) is ``unchanged`` when role, organisation and phone are the same — so
importing the same file again changes nothing and sends nothing — or ``matched`` (role,
organisation or phone updated, no e-mail). A username held by anyone else is an error.

Who may import is who oversees bureaus below them: a system administrator, or a city,
provincial or national official for the organisations of their subtree. Accounts are made today
only in the system administration (staff) and by self-registration of units; a county official
administers no one, so a county's accounts come from its city.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenmfg.accounts.models import User
from greenmfg.accounts.roles import (
    OFFICIAL_ROLE_BY_LEVEL,
    OFFICIAL_ROLES,
    ORGANISATION_KINDS_BY_ROLE,
    Role,
)
from greenmfg.accounts.scoping import scope_root
from greenmfg.accounts.tasks import task_send_set_password_email
from greenmfg.audit.services import audit_each
from greenmfg.core import outbox
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
    chunks,
)
from greenmfg.directory.credit_code import normalise
from greenmfg.directory.models import Level, Organisation

__all__ = ["COLUMNS", "KIND", "STAFF_ROLES", "StaffImporter"]

KIND = "staff"

# The roles a staff import may give: the officials of each level and the departments' officials.
STAFF_ROLES = (
    Role.COUNTY_OFFICIAL,
    Role.CITY_OFFICIAL,
    Role.PROVINCE_OFFICIAL,
    Role.NATIONAL_OFFICIAL,
    Role.DEPARTMENT_OFFICIAL,
)
# The officials who may import: those with bureaus below them (and administrators).
IMPORTING_ROLES = frozenset({Role.CITY_OFFICIAL, Role.PROVINCE_OFFICIAL, Role.NATIONAL_OFFICIAL})
ROLE_NAMES = {
    **{str(label): value for value, label in Role.choices},
    **{value: value for value in Role.values},
    "县级工信部门": Role.COUNTY_OFFICIAL,
    "区县工信部门": Role.COUNTY_OFFICIAL,
    "县(区)工信部门": Role.COUNTY_OFFICIAL,
    "市级工信部门": Role.CITY_OFFICIAL,
    "省级工信部门": Role.PROVINCE_OFFICIAL,
    "国家级工信部门": Role.NATIONAL_OFFICIAL,
    "部门联络员": Role.DEPARTMENT_OFFICIAL,
}
LEVEL_LABELS = dict(Level.choices)
USERNAME_MAX = User._meta.get_field("username").max_length
NAME_MAX = User._meta.get_field("full_name").max_length
EMAIL_MAX = User._meta.get_field("email").max_length
PHONE_MAX = User._meta.get_field("phone").max_length
PHONE_SHAPE = re.compile(r"[0-9+\-() ]{5,}")
CREDIT_CODE_SHAPE = re.compile(r"[0-9A-Z]{18}")


def _staff_roles_named() -> str:
    return "、".join(str(Role(role).label) for role in STAFF_ROLES)


# --- cells -------------------------------------------------------------------------------------


def _username(text: str) -> str:
    if len(text) > USERNAME_MAX:
        raise CellError(_("用户名不能超过 %(n)d 个字符。") % {"n": USERNAME_MAX})
    try:
        UnicodeUsernameValidator()(text)
    except ValidationError:
        raise CellError(
            _("用户名「%(value)s」只能包含字母、数字和 @ . + - _，不能有空格。") % {"value": text}
        ) from None
    return text


_full_name = short_text(NAME_MAX, gettext_lazy("姓名不能超过 %(n)d 个字。"))


def _role(text: str) -> str:
    key = text.replace("（", "(").replace("）", ")").replace(" ", "")
    role = ROLE_NAMES.get(key) or ROLE_NAMES.get(text)
    if role is None:
        raise CellError(
            _("「%(value)s」不是系统中的角色，工作人员账号的角色应为：%(roles)s。")
            % {"value": text, "roles": _staff_roles_named()}
        )
    if role not in STAFF_ROLES:
        raise CellError(
            _("「%(value)s」不是工作人员角色，不能通过本导入开通；应为：%(roles)s。")
            % {"value": Role(role).label, "roles": _staff_roles_named()}
        )
    return role


_email = email_address(
    gettext_lazy("「%(value)s」不是有效的电子邮箱地址（设置密码的邮件将发往此地址）。"),
    max_length=EMAIL_MAX,
    too_long=gettext_lazy("电子邮箱不能超过 %(n)d 个字符。"),
)


def _phone(text: str) -> str:
    if len(text) > PHONE_MAX or not PHONE_SHAPE.fullmatch(text):
        raise CellError(_("「%(value)s」不是有效的电话号码。") % {"value": text})
    return text


COLUMNS = (
    Column(
        "用户名",
        "username",
        _username,
        True,
        "登录用的用户名：字母、数字和 @ . + - _，不区分大小写不得重复",
        "luoyang-lilin",
        aliases=("账号",),
    ),
    Column("姓名", "full_name", _full_name, True, "账号使用人的姓名", "李琳"),
    Column(
        "角色",
        "role",
        _role,
        True,
        "县（区）工信部门、市工信部门、省工信部门、国家工信部门或征求意见部门；"
        "工信部门人员的角色须与所属单位的层级一致",
        "县（区）工信部门",
    ),
    Column(
        "所属单位",
        "organisation",
        str,
        True,
        "您管辖范围内单位的准确全称，或其统一社会信用代码（重名时填代码）",
        "洛龙区工业和信息化局",
        aliases=("单位",),
    ),
    Column(
        "电子邮箱",
        "email",
        _email,
        True,
        "设置密码的邮件发往此地址",
        "lilin@example.gov.cn",
        aliases=("邮箱",),
    ),
    Column("手机号码", "phone", _phone, False, "选填", "13800000000", aliases=("电话",)),
)


# --- the importer ------------------------------------------------------------------------------


class OrganisationMatcher:
    """Finds a row's organisation: by credit code exactly (anywhere, then refused outside the
    subtree), else by name among the subtree's organisations."""

    def __init__(self, organisations: Iterable[dict], root_path: str | None):
        self.root_path = root_path  # None: an administrator, the whole tree
        self.by_code: dict[str, dict] = {}
        self.by_name: dict[str, list[dict]] = {}
        for organisation in organisations:
            if organisation["credit_code"]:
                self.by_code[organisation["credit_code"]] = organisation
            self.by_name.setdefault(organisation["name"], []).append(organisation)

    def inside(self, organisation: dict) -> bool:
        return self.root_path is None or organisation["jurisdiction__path"].startswith(
            self.root_path
        )

    def match(self, text: str) -> dict:
        code = normalise(text)
        found = self.by_code.get(code) if CREDIT_CODE_SHAPE.fullmatch(code) else None
        if found is not None:
            if not self.inside(found):
                raise CellError(_("「%(name)s」不在您的管辖范围内。") % {"name": found["name"]})
            return found
        name = collapse_spaces(text)
        named = self.by_name.get(name, [])
        inside = [organisation for organisation in named if self.inside(organisation)]
        if len(inside) == 1:
            return inside[0]
        if len(inside) > 1:
            raise CellError(
                _("单位名称「%(name)s」对应多个单位：%(candidates)s，请改填统一社会信用代码。")
                % {
                    "name": name,
                    "candidates": "、".join(
                        f"{one['jurisdiction__name']}的{one['name']}"
                        f"（{one['credit_code'] or _('无统一社会信用代码')}）"
                        for one in inside
                    ),
                }
            )
        if named:
            raise CellError(_("「%(name)s」不在您的管辖范围内。") % {"name": name})
        if CREDIT_CODE_SHAPE.fullmatch(code):
            raise CellError(_("未找到统一社会信用代码为 %(code)s 的单位。") % {"code": code})
        raise CellError(
            _("未找到单位「%(name)s」：请填写单位的准确全称或统一社会信用代码。") % {"name": name}
        )


def organisation_matcher(rows: list[Row], *, actor) -> OrganisationMatcher:
    texts = {row.values["organisation"] for row in rows}
    names = sorted({collapse_spaces(text) for text in texts})
    codes = sorted({normalise(text) for text in texts})
    fields = (
        "id",
        "name",
        "kind",
        "credit_code",
        "jurisdiction__name",
        "jurisdiction__level",
        "jurisdiction__path",
    )
    found: dict[int, dict] = {}
    for part in chunks(names):
        for organisation in Organisation.objects.filter(name__in=part).values(*fields):
            found[organisation["id"]] = organisation
    for part in chunks([code for code in codes if CREDIT_CODE_SHAPE.fullmatch(code)]):
        for organisation in Organisation.objects.filter(credit_code__in=part).values(*fields):
            found[organisation["id"]] = organisation
    root = None if actor.is_sysadmin else scope_root(actor)
    root_path = None if actor.is_sysadmin else (root.path if root is not None else "\0")
    return OrganisationMatcher(found.values(), root_path)


USER_FIELDS = (
    "id",
    "username",
    "full_name",
    "email",
    "phone",
    "role",
    "organisation_id",
    "organisation__jurisdiction__path",
)


class StaffImporter:
    kind = KIND
    title = gettext_lazy("批量导入工作人员账号")
    matched_label = gettext_lazy("更新已有账号")
    label_key = "full_name"
    columns = COLUMNS

    def allowed(self, actor) -> bool:
        if not actor.is_authenticated:
            return False
        if actor.is_sysadmin:
            return True
        return actor.role in IMPORTING_ROLES and actor.organisation_id is not None

    # -- check --------------------------------------------------------------------------------

    def check(self, rows: list[Row], *, actor, progress: Progress) -> list[RowResult]:
        matcher = organisation_matcher(rows, actor=actor)
        progress(20)
        usernames = sorted({row.values["username"].lower() for row in rows})
        emails = sorted({row.values["email"].lower() for row in rows})
        by_username: dict[str, dict] = {}
        for part in chunks(usernames):
            for user in (
                User.objects.annotate(key=Lower("username"))
                .filter(key__in=part)
                .values(*USER_FIELDS)
            ):
                by_username[user["username"].lower()] = user
        by_email: dict[str, list[str]] = {}
        for part in chunks(emails):
            for username, email in (
                User.objects.annotate(key=Lower("email"))
                .filter(key__in=part)
                .values_list("username", "email")
            ):
                by_email.setdefault(email.lower(), []).append(username.lower())
        progress(40)
        first_of_username: dict[str, int] = {}
        first_of_email: dict[str, tuple[int, str]] = {}
        return check_each(
            rows,
            functools.partial(
                self._check_row,
                actor=actor,
                matcher=matcher,
                by_username=by_username,
                by_email=by_email,
                first_of_username=first_of_username,
                first_of_email=first_of_email,
            ),
            label=_label,
            progress=progress,
            start=40,
        )

    def _check_row(
        self, row, *, actor, matcher, by_username, by_email, first_of_username, first_of_email
    ) -> RowResult:
        values = row.values
        username, email = values["username"], values["email"]
        key = username.lower()
        earlier = first_of_username.setdefault(key, row.number)
        if earlier != row.number:
            raise RowError(
                "用户名",
                _("用户名「%(name)s」与第 %(row)d 行重复（用户名不区分大小写）。")
                % {"name": username, "row": earlier},
            )
        earlier_email = first_of_email.setdefault(email.lower(), (row.number, key))
        if earlier_email[1] != key:
            raise RowError(
                "电子邮箱",
                _("电子邮箱与第 %(row)d 行相同：每个账号须有本人的电子邮箱。")
                % {"row": earlier_email[0]},
            )
        try:
            organisation = matcher.match(values["organisation"])
        except CellError as error:
            raise RowError("所属单位", error.message) from None
        role = values["role"]
        self._check_role(role, organisation)
        existing = by_username.get(key)
        others = [one for one in by_email.get(email.lower(), []) if one != key]
        if others:
            raise RowError(
                "电子邮箱",
                _("电子邮箱「%(email)s」已被其他账号使用：每个账号须有本人的电子邮箱。")
                % {"email": email},
            )
        values.update(_organisation=organisation["id"], _organisation_name=organisation["name"])
        if existing is None:
            return RowResult(
                row.number,
                Outcome.NEW,
                label=_label(values),
                reason=_("新开通账号，导入后向 %(email)s 发送设置密码邮件。") % {"email": email},
            )
        return self._compare(row, existing, actor=actor, matcher=matcher)

    def _check_role(self, role: str, organisation: dict) -> None:
        kinds = ORGANISATION_KINDS_BY_ROLE[role]
        label = Role(role).label
        if organisation["kind"] not in kinds:
            raise RowError(
                "角色",
                _("「%(name)s」是%(kind)s，不能开通「%(role)s」账号（须属于%(kinds)s）。")
                % {
                    "name": organisation["name"],
                    "kind": Organisation.Kind(organisation["kind"]).label,
                    "role": label,
                    "kinds": "、".join(str(Organisation.Kind(kind).label) for kind in kinds),
                },
            )
        if role in OFFICIAL_ROLES:
            wanted = OFFICIAL_ROLE_BY_LEVEL.get(organisation["jurisdiction__level"])
            if wanted != role:
                raise RowError(
                    "角色",
                    _(
                        "「%(name)s」是%(level)s单位，其人员的角色应为「%(wanted)s」，不是「%(role)s」。"
                    )
                    % {
                        "name": organisation["name"],
                        "level": LEVEL_LABELS.get(
                            organisation["jurisdiction__level"], organisation["jurisdiction__level"]
                        ),
                        "wanted": Role(wanted).label if wanted else "—",
                        "role": label,
                    },
                )

    def _compare(self, row, existing: dict, *, actor, matcher) -> RowResult:
        values = row.values
        same_person = (
            existing["full_name"] == values["full_name"]
            and existing["email"].lower() == values["email"].lower()
        )
        if not same_person:
            raise RowError(
                "用户名",
                _(
                    "用户名「%(name)s」已被他人使用（该账号的姓名或电子邮箱与本行不同），"
                    "请换一个用户名。"
                )
                % {"name": values["username"]},
            )
        if existing["role"] not in STAFF_ROLES:
            raise RowError(
                "用户名",
                _("账号「%(name)s」是「%(role)s」账号，不能通过本导入改为工作人员账号。")
                % {"name": existing["username"], "role": Role(existing["role"]).label},
            )
        path = existing["organisation__jurisdiction__path"] or ""
        if not actor.is_sysadmin and not (matcher.root_path and path.startswith(matcher.root_path)):
            raise RowError(
                "用户名",
                _("账号「%(name)s」属于您管辖范围以外的单位，不能修改。")
                % {"name": existing["username"]},
            )
        changes = []
        if existing["role"] != values["role"]:
            changes.append(_("角色"))
        if existing["organisation_id"] != values["_organisation"]:
            changes.append(_("所属单位"))
        if values["phone"] and existing["phone"] != values["phone"]:
            changes.append(_("手机号码"))
        values["_user"] = existing["id"]
        if not changes:
            return RowResult(row.number, Outcome.UNCHANGED, label=_label(values))
        return RowResult(
            row.number,
            Outcome.MATCHED,
            label=_label(values),
            reason=_("已有账号「%(name)s」，将更新：%(fields)s（不再发送设置密码邮件）。")
            % {"name": existing["username"], "fields": "、".join(changes)},
        )

    # -- write ---------------------------------------------------------------------------------

    def write(self, rows, results, *, actor, run, progress: Progress) -> int:
        created = [
            row for row, result in zip(rows, results, strict=True) if result.outcome == Outcome.NEW
        ]
        updated = [
            row
            for row, result in zip(rows, results, strict=True)
            if result.outcome == Outcome.MATCHED
        ]
        users = []
        for row in created:
            user = User(
                username=row.values["username"],
                full_name=row.values["full_name"],
                email=row.values["email"],
                phone=row.values["phone"] or "",
                role=row.values["role"],
                organisation_id=row.values["_organisation"],
                is_active=True,
            )
            # No password until its person sets one through the e-mailed link.
            user.set_unusable_password()
            users.append(user)
        User.objects.bulk_create(users, batch_size=500)
        # bulk_create returns keys on PostgreSQL and SQLite alike; read them back to be sure.
        ids = dict(
            User.objects.annotate(key=Lower("username"))
            .filter(key__in=[user.username.lower() for user in users])
            .values_list("key", "id")
        )
        progress(50)
        audit_each(
            User,
            (
                (
                    ids[row.values["username"].lower()],
                    row.values["full_name"],
                    {
                        "action": "create",
                        "action_label": _("导入工作人员账号"),
                        "data": {
                            "username": row.values["username"],
                            "role": row.values["role"],
                            "organisation": row.values["_organisation"],
                            "import_run": run.pk,
                            "sha256": run.sha256,
                            "row": row.number,
                        },
                    },
                )
                for row in created
            ),
            actor=actor,
        )
        for row in updated:
            fields = {"role": row.values["role"], "organisation_id": row.values["_organisation"]}
            if row.values["phone"]:
                fields["phone"] = row.values["phone"]
            User.objects.filter(pk=row.values["_user"]).update(**fields)
        audit_each(
            User,
            (
                (
                    row.values["_user"],
                    row.values["full_name"],
                    {
                        "action": "update",
                        "action_label": _("导入工作人员账号时更新"),
                        "data": {
                            "role": row.values["role"],
                            "organisation": row.values["_organisation"],
                            "phone": row.values["phone"] or "",
                            "import_run": run.pk,
                            "sha256": run.sha256,
                            "row": row.number,
                        },
                    },
                )
                for row in updated
            ),
            actor=actor,
        )
        progress(80)
        new_ids = [ids[row.values["username"].lower()] for row in created]
        for user_id in new_ids:
            outbox.enqueue_on_commit(task_send_set_password_email, user_id, actor.pk)
        return len(created) + len(updated)


def _label(values: dict) -> str:
    name = values.get("full_name") or ""
    username = values.get("username") or ""
    return f"{name}（{username}）" if name and username else name or username
