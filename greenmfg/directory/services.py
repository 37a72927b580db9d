from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from greenmfg.accounts.roles import OFFICIAL_ROLE_BY_LEVEL, Role
from greenmfg.accounts.scoping import can_oversee
from greenmfg.audit.services import audit_record
from greenmfg.core.errors import Conflict, DomainError, NotPermitted
from greenmfg.core.transitions import run_transition, transition_refusals
from greenmfg.directory.credit_code import normalise
from greenmfg.directory.models import Jurisdiction, Level, Organisation, OrganisationCount
from greenmfg.directory.workflow import organisation_workflow
from greenmfg.notifications.services import notify

User = get_user_model()

SELF_REGISTERING_KINDS = (
    Organisation.Kind.ENTERPRISE,
    Organisation.Kind.PARK,
    Organisation.Kind.AGENCY,
)
# Enterprises and parks register in a county (or functional zone); an agency where its office
# is, a city or a county. Each is approved by the bureau of the jurisdiction it chose.
REGISTRATION_LEVELS = {
    Organisation.Kind.ENTERPRISE: (Level.COUNTY,),
    Organisation.Kind.PARK: (Level.COUNTY,),
    Organisation.Kind.AGENCY: (Level.CITY, Level.COUNTY),
}
# The first user of a self-registered organisation.
REGISTRATION_ROLES = {Organisation.Kind.AGENCY: Role.AGENCY_STAFF}


def _check_duplicates(organisation: Organisation) -> None:
    """Refuse a duplicate with a message naming the organisation already registered."""
    others = Organisation.objects.exclude(pk=organisation.pk)
    if organisation.credit_code:
        holder = others.filter(credit_code=organisation.credit_code).first()
        if holder is not None:
            raise Conflict(
                _("统一社会信用代码 %(code)s 已被「%(name)s」登记，不能重复登记。")
                % {"code": organisation.credit_code, "name": holder.name},
                existing_id=holder.pk,
                field="credit_code",
            )
    same_name = others.filter(
        kind=organisation.kind,
        department=organisation.department,
        jurisdiction=organisation.jurisdiction_id,
        name=organisation.name,
    ).first()
    if same_name is not None:
        raise Conflict(
            _("「%(name)s」在本区划内已登记，不能重复登记。") % {"name": organisation.name},
            existing_id=same_name.pk,
            field="name",
        )


def _validate_shape(organisation: Organisation) -> None:
    errors = {}
    if (
        organisation.kind in Organisation.KINDS_REQUIRING_CREDIT_CODE
        and not organisation.credit_code
    ):
        errors["credit_code"] = _("%(kind)s须填写统一社会信用代码。") % {
            "kind": organisation.get_kind_display()
        }
    if organisation.kind == Organisation.Kind.DEPARTMENT and not organisation.department:
        errors["department"] = _("征求意见部门须选择部门类别。")
    if organisation.kind != Organisation.Kind.DEPARTMENT and organisation.department:
        errors["department"] = _("只有征求意见部门才有部门类别。")
    if (
        organisation.kind in SELF_REGISTERING_KINDS
        and organisation.jurisdiction.level not in REGISTRATION_LEVELS[organisation.kind]
    ):
        errors["jurisdiction"] = (
            _("第三方评价机构须登记在办公场所所在的市或县（区）。")
            if organisation.kind == Organisation.Kind.AGENCY
            else _("企业和园区须登记在县（区）或功能区。")
        )
    if errors:
        raise ValidationError(errors)


def _save_new(organisation: Organisation) -> Organisation:
    organisation.credit_code = normalise(organisation.credit_code)
    organisation.full_clean(validate_unique=False, validate_constraints=False)
    _validate_shape(organisation)
    _check_duplicates(organisation)
    try:
        # A savepoint, so a concurrent duplicate leaves the caller's transaction usable.
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        # Someone registered the same code between our check and our insert.
        _check_duplicates(organisation)
        raise
    return organisation


@transaction.atomic
def organisation_create(
    *,
    actor,
    name: str,
    kind: str,
    jurisdiction: Jurisdiction,
    credit_code: str = "",
    department: str = "",
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> Organisation:
    """An official (or administrator) registers an organisation in their jurisdiction."""
    if not (actor.is_official or actor.is_sysadmin):
        raise NotPermitted(_("只有工信部门或系统管理员可以新增单位。"))
    if not can_oversee(actor, jurisdiction):
        raise NotPermitted(
            _("「%(place)s」不在您的管辖范围内。") % {"place": jurisdiction.name},
            field="jurisdiction",
        )
    if (
        kind == Organisation.Kind.BUREAU
        and not actor.is_sysadmin
        and jurisdiction.pk == actor.organisation.jurisdiction_id
    ):
        raise NotPermitted(_("同级工信部门由上级部门或系统管理员登记。"), field="kind")
    organisation = _save_new(
        Organisation(
            name=name.strip(),
            kind=kind,
            jurisdiction=jurisdiction,
            credit_code=credit_code,
            department=department,
            address=address,
            contact_name=contact_name,
            contact_phone=contact_phone,
            status=Organisation.Status.ACTIVE,
        )
    )
    audit_record(
        subject=organisation,
        actor=actor,
        action="create",
        action_label=_("登记单位"),
        to_state=organisation.status,
        state_labels=organisation_workflow.states,
    )
    return organisation


@transaction.atomic
def registration_submit(
    *,
    name: str,
    kind: str,
    jurisdiction: Jurisdiction,
    credit_code: str,
    address: str,
    contact_name: str,
    contact_phone: str,
    username: str,
    email: str,
    password: str,
    full_name: str,
) -> User:
    """An enterprise, park or evaluation agency registers itself and its first user (an agency's
    is agency staff); the bureau of the jurisdiction it chose approves it.

    All or nothing: a refusal on any field leaves neither the organisation nor the user behind.
    """
    if kind not in SELF_REGISTERING_KINDS:
        raise ValidationError({"kind": _("只有企业、园区管理机构和第三方评价机构可以自行注册。")})
    user = User(
        username=username.strip(),
        email=email.strip(),
        full_name=full_name.strip(),
        phone=contact_phone,
        role=REGISTRATION_ROLES.get(kind, Role.APPLICANT),
    )
    errors = {}
    if User.objects.filter(username__iexact=user.username).exists():
        errors["username"] = _("用户名「%(name)s」已被使用。") % {"name": user.username}
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    organisation = _save_new(
        Organisation(
            name=name.strip(),
            kind=kind,
            jurisdiction=jurisdiction,
            credit_code=credit_code,
            address=address,
            contact_name=contact_name,
            contact_phone=contact_phone,
            status=Organisation.Status.PENDING,
        )
    )
    user.organisation = organisation
    user.set_password(password)
    user.save()
    audit_record(
        subject=organisation,
        actor=user,
        action="register",
        action_label=_("注册申请"),
        to_state=organisation.status,
        state_labels=organisation_workflow.states,
    )
    for official in officials_of(jurisdiction=jurisdiction):
        notify(
            recipient=official,
            subject=_("新的单位注册待审核：%(name)s") % {"name": organisation.name},
            body=_("%(name)s（%(code)s）申请注册，请审核。")
            % {"name": organisation.name, "code": organisation.credit_code},
            link=reverse("directory:organisation-detail", args=[organisation.pk]),
        )
    return user


def officials_of(*, jurisdiction: Jurisdiction):
    """The active users of the bureau at exactly this jurisdiction; for a zone a county runs,
    which has no bureau of its own, the county's."""
    return User.objects.filter(
        is_active=True,
        role=OFFICIAL_ROLE_BY_LEVEL[jurisdiction.level],
        organisation__kind=Organisation.Kind.BUREAU,
        **(
            {"organisation__jurisdiction__key": jurisdiction.bureau_key}
            if jurisdiction.is_county_zone
            else {"organisation__jurisdiction": jurisdiction}
        ),
    )


def _require_handler(actor, row: Organisation) -> None:
    """Members act on their own organisation; officials on those in their jurisdiction."""
    if actor.role in (Role.APPLICANT, Role.AGENCY_STAFF):
        if actor.organisation_id != row.pk:
            raise NotPermitted(_("只能操作本单位的注册信息。"))
    elif not can_oversee(actor, row.jurisdiction):
        raise NotPermitted(_("「%(name)s」不在您的管辖范围内。") % {"name": row.name})


def organisation_refusals(*, organisation: Organisation, action: str, actor) -> list[str]:
    """Why :func:`organisation_transition` would refuse ``action`` now (empty when it would
    not): the same check and table; the registration's steps have no other guard."""
    return transition_refusals(
        workflow=organisation_workflow,
        instance=organisation,
        action=action,
        actor=actor,
        check=lambda row: _require_handler(actor, row),
    )


@transaction.atomic
def organisation_transition(
    *, organisation: Organisation, action: str, actor, comment: str = ""
) -> Organisation:
    """Move an organisation's registration along its workflow, with its audit entry."""

    def tell_members(row: Organisation, *, transition, actor, comment) -> None:
        for member in row.users.filter(is_active=True).exclude(pk=actor.pk):
            notify(
                recipient=member,
                subject=_("单位状态变更：%(state)s") % {"state": row.get_status_display()},
                body=_("「%(name)s」已%(action)s。%(comment)s")
                % {"name": row.name, "action": transition.label, "comment": comment},
                link=reverse("dashboard"),
            )

    return run_transition(
        workflow=organisation_workflow,
        instance=organisation,
        action=action,
        actor=actor,
        comment=comment,
        check=lambda row: _require_handler(actor, row),
        update_fields=["updated_at"],
        effects=[tell_members],
        on_commit=False,
    )


@transaction.atomic
def organisation_counts_rebuild() -> int:
    """Recount ``OrganisationCount`` from the organisations themselves (the nightly task, and
    after a bulk write that bypassed ``Organisation.save``). Returns how many rows it corrected.

    On PostgreSQL the table is locked first (EXCLUSIVE: reads go on, writers wait), so a save
    running alongside lands either before the recount, which then sees it, or after it, and adds
    its change to the recounted row.
    """
    table = OrganisationCount._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    ids = dict(Jurisdiction.objects.values_list("path", "id"))
    paths = {pk: path for path, pk in ids.items()}
    totals: dict[tuple[int, str, str], int] = {}
    rows = (
        Organisation.objects.values_list("jurisdiction_id", "kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for place, kind, status, n in rows:
        parts = paths[place].strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            key = (ids["/".join(parts[:depth]) + "/"], kind, status)
            totals[key] = totals.get(key, 0) + n
    before = {
        (place, kind, status): n
        for place, kind, status, n in OrganisationCount.objects.values_list(
            "jurisdiction_id", "kind", "status", "total"
        )
        if n
    }
    corrected = sum(before.get(key) != n for key, n in totals.items()) + sum(
        key not in totals for key in before
    )
    if corrected:
        OrganisationCount.objects.all().delete()
        OrganisationCount.objects.bulk_create(
            OrganisationCount(jurisdiction_id=place, kind=kind, status=status, total=n)
            for (place, kind, status), n in totals.items()
        )
    return corrected


# 功能区/先导区 (high-tech zones, development zones): county-level units. A city's sit under
# the city, beside its counties (济南 办法 第二条 "区县（含功能区）"), with a bureau of their own,
# so that every list and count that reads a county by equality reads such a zone the same way.
# A county's (某县经济开发区) sit under the county and are run by its bureau: the county's
# subtree (models.subtree_q) holds them, and their units register there as in a county.
ZONE_PARENT_LEVELS = (Level.CITY, Level.COUNTY)


@transaction.atomic
def functional_zone_create(*, actor, parent: Jurisdiction, name: str) -> Jurisdiction:
    """An official (or administrator) adds a functional zone under a city or county they govern.

    The zone has no GB/T 2260 code; its key is the parent's code and a serial (410300-Z1,
    410311-Z1). The division loader never touches it. Refused outside the actor's jurisdiction,
    under anything but a current city or county (not under another zone), and for a name already
    used under that parent.
    """
    if not (actor.is_official or actor.is_sysadmin):
        raise NotPermitted(_("只有工信部门或系统管理员可以新增功能区。"))
    if parent.level not in ZONE_PARENT_LEVELS or parent.kind != Jurisdiction.Kind.ADMIN:
        raise DomainError(
            _("功能区须设在市或县（区）之下：「%(place)s」不是市或县（区）。")
            % {"place": parent.name},
            field="parent",
        )
    if not can_oversee(actor, parent):
        raise NotPermitted(
            _("「%(place)s」不在您的管辖范围内。") % {"place": parent.name}, field="parent"
        )
    if not parent.active:
        raise DomainError(
            _("「%(place)s」已撤销，不能再设功能区。") % {"place": parent.name}, field="parent"
        )
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("请填写功能区名称。"), field="name")
    parent = Jurisdiction.objects.select_for_update().get(pk=parent.pk)
    if Jurisdiction.objects.filter(parent=parent, name=name).exists():
        raise DomainError(
            _("「%(place)s」下已有「%(name)s」。") % {"place": parent.name, "name": name},
            field="name",
        )
    stem = f"{parent.code or parent.key}-Z"
    taken = set(Jurisdiction.objects.filter(key__startswith=stem).values_list("key", flat=True))
    serial = 1
    while f"{stem}{serial}" in taken:
        serial += 1
    zone = Jurisdiction(
        key=f"{stem}{serial}",
        name=name,
        level=Level.COUNTY,
        kind=Jurisdiction.Kind.FUNCTIONAL,
        parent=parent,
    )
    zone.save()
    audit_record(
        subject=zone,
        actor=actor,
        action="zone_create",
        action_label=_("新增功能区"),
        data={"parent": parent.key, "key": zone.key, "name": name},
    )
    return zone
