"""本机构资质 pages for agency staff, and the agency list and review pages for officials.

Agency staff fill in their own agency's profile, roster, experience and related entities and
submit it; officials see the agencies of their subtree and approve or return their profiles.
Every page costs a constant number of queries, whatever the size of the roster or the list.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from greenmfg.accounts.roles import Role
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.actions import act, act_on_form
from greenmfg.core.errors import DomainError
from greenmfg.core.export import Column
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin
from greenmfg.directory.models import Organisation
from thirdparty.filters.profile import AgencyFilter
from thirdparty.forms.profile import (
    DecisionForm,
    ExperienceForm,
    ProfileForm,
    RelatedEntityForm,
    StaffForm,
)
from thirdparty.models import AgencyProfile, ExperienceRecord, RelatedEntity, StaffMember
from thirdparty.selectors.profile import (
    agency_experience,
    agency_list,
    agency_related_entities,
    agency_staff,
    profile_of,
    qualification_of,
)
from thirdparty.services import profile as services

S = AgencyProfile.Status


def is_agency_member(user) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.AGENCY_STAFF
        and user.organisation_id is not None
        and user.organisation.kind == Organisation.Kind.AGENCY
    )


class AgencyStaffRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    permission_denied_message = gettext_lazy("此页面仅对第三方评价机构人员开放。")

    def test_func(self):
        return is_agency_member(self.request.user)


def _status_label(profile: AgencyProfile | None) -> str:
    return profile.get_status_display() if profile is not None else _("未填报")


def agency_context(agency: Organisation, *, user) -> dict:
    """What the agency's own page and the officials' page both show."""
    profile = profile_of(agency)
    return {
        "agency": agency,
        "profile": profile,
        "status_label": _status_label(profile),
        "declarations": services.profile_declarations(profile),
        "staff": agency_staff(agency=agency),
        "experience": agency_experience(agency=agency),
        "related_entities": agency_related_entities(agency=agency),
        "qualification": qualification_of(agency),
        "audit_entries": audit_entries_for(subject=profile)[:50] if profile else [],
    }


def _own_agency(user) -> Organisation:
    """The signed-in agency member's agency, with its counts and profile (one query)."""
    return get_object_or_404(agency_list(user=user), pk=user.organisation_id)


# --- the agency's own pages ---------------------------------------------------------------------


class ProfileView(AgencyStaffRequiredMixin, TemplateView):
    """本机构资质: profile, roster, experience, related entities, the check, and submission."""

    template_name = "thirdparty/profile_overview.html"

    def get_context_data(self, **kwargs):
        agency = _own_agency(self.request.user)
        context = agency_context(agency, user=self.request.user)
        profile = context["profile"]
        status = profile.status if profile is not None else S.DRAFT
        context["can_submit"] = status in (S.DRAFT, S.RETURNED) and profile is not None
        context["missing"] = services.submission_refusals(profile) if profile else []
        context["editable"] = True
        context["reopens"] = status == S.APPROVED
        return super().get_context_data(**context, **kwargs)


class _AgencyFormView(AgencyStaffRequiredMixin, FormView):
    """A form of the agency's own profile; a refusal comes back onto the form's fields."""

    template_name = "thirdparty/profile_form.html"
    heading = ""
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        if is_agency_member(request.user):
            self.agency = request.user.organisation
            self.profile = AgencyProfile.objects.filter(organisation=self.agency).first()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading,
            reopens=self.profile is not None and self.profile.status == S.APPROVED,
            back_url=reverse("thirdparty:profile"),
            **kwargs,
        )

    def save(self, data):
        raise NotImplementedError

    def form_valid(self, form):
        return act_on_form(
            self.request,
            form,
            lambda: self.save(form.cleaned_data),
            success=lambda _saved: self._saved_message(),
            redirect_to="thirdparty:profile",
        ) or self.form_invalid(form)

    def _saved_message(self) -> str:
        message = self.success_message
        if self.profile is not None and self.profile.status == S.APPROVED:
            self.profile.refresh_from_db(fields=["status"])
            if self.profile.status == S.SUBMITTED:
                message += _(
                    "资质信息已变更，已重新提交审核；审核通过前不能承接新的评价委托，"
                    "已有的评价委托不受影响。"
                )
        return message


class ProfileEditView(_AgencyFormView):
    form_class = ProfileForm
    heading = gettext_lazy("填写资质基本信息")
    success_message = gettext_lazy("资质基本信息已保存。")
    template_name = "thirdparty/profile_edit.html"

    def get_initial(self):
        profile = self.profile
        if profile is None:
            return {}
        return {
            "legal_representative": profile.legal_representative,
            "legal_representative_id": profile.legal_representative_id,
            "office_address": profile.office_address,
            **{name: getattr(profile, name) for name in ProfileForm.DECLARATION_FIELDS},
        }

    def save(self, data):
        services.profile_save(agency=self.agency, actor=self.request.user, **data)


class _RowView(_AgencyFormView):
    """Add a row (no ``pk``) or edit one of the agency's own rows."""

    model = None
    fields: tuple[str, ...] = ()
    add_heading = ""
    edit_heading = ""

    def dispatch(self, request, *args, **kwargs):
        self.row = None
        if is_agency_member(request.user) and "pk" in kwargs:
            self.row = get_object_or_404(
                self.model, pk=kwargs["pk"], agency_id=request.user.organisation_id
            )
        return super().dispatch(request, *args, **kwargs)

    @property
    def heading(self):
        return self.edit_heading if self.row is not None else self.add_heading

    def get_initial(self):
        if self.row is None:
            return super().get_initial()
        return {name: getattr(self.row, name) for name in self.fields}

    def add(self, data):
        raise NotImplementedError

    def update(self, data):
        raise NotImplementedError

    def save(self, data):
        if self.row is None:
            self.add(data)
        else:
            self.update(data)


class StaffFormView(_RowView):
    model = StaffMember
    form_class = StaffForm
    fields = ("name", "full_time", "title_level", "field", "green_evaluation")
    add_heading = gettext_lazy("新增评价人员")
    edit_heading = gettext_lazy("修改评价人员")
    success_message = gettext_lazy("评价人员已保存。")

    def add(self, data):
        services.staff_add(agency=self.agency, actor=self.request.user, **data)

    def update(self, data):
        services.staff_update(member=self.row, actor=self.request.user, **data)


class ExperienceFormView(_RowView):
    model = ExperienceRecord
    form_class = ExperienceForm
    fields = ("kind", "title", "year", "led", "description")
    add_heading = gettext_lazy("新增业绩")
    edit_heading = gettext_lazy("修改业绩")
    success_message = gettext_lazy("业绩已保存。")

    def add(self, data):
        services.experience_add(agency=self.agency, actor=self.request.user, **data)

    def update(self, data):
        services.experience_update(record=self.row, actor=self.request.user, **data)


class RelatedEntityFormView(_RowView):
    model = RelatedEntity
    form_class = RelatedEntityForm
    fields = ("name", "credit_code", "relation")
    add_heading = gettext_lazy("新增关联单位")
    edit_heading = gettext_lazy("修改关联单位")
    success_message = gettext_lazy("关联单位已保存。")

    def add(self, data):
        services.related_add(agency=self.agency, actor=self.request.user, **data)

    def update(self, data):
        services.related_update(entity=self.row, actor=self.request.user, **data)


def _own_row(request, model, pk):
    if not is_agency_member(request.user):
        raise PermissionDenied(_("此页面仅对第三方评价机构人员开放。"))
    return get_object_or_404(model, pk=pk, agency_id=request.user.organisation_id)


def _removed(request, remove, row, label: str):
    profile = AgencyProfile.objects.filter(organisation_id=row.agency_id).first()
    was_approved = profile is not None and profile.status == S.APPROVED
    message = _("已删除%(label)s。") % {"label": label}
    if was_approved:
        message += _(
            "资质信息已变更，已重新提交审核；审核通过前不能承接新的评价委托，"
            "已有的评价委托不受影响。"
        )
    return act(
        request,
        lambda: remove(row, request.user),
        success=message,
        redirect_to=reverse("thirdparty:profile"),
    )


@login_required
@require_POST
def staff_delete_view(request, pk):
    member = _own_row(request, StaffMember, pk)
    return _removed(
        request,
        lambda row, actor: services.staff_remove(member=row, actor=actor),
        member,
        _("评价人员「%(name)s」") % {"name": member.name},
    )


@login_required
@require_POST
def experience_delete_view(request, pk):
    record = _own_row(request, ExperienceRecord, pk)
    return _removed(
        request,
        lambda row, actor: services.experience_remove(record=row, actor=actor),
        record,
        _("业绩「%(title)s」") % {"title": record.title},
    )


@login_required
@require_POST
def related_delete_view(request, pk):
    entity = _own_row(request, RelatedEntity, pk)
    return _removed(
        request,
        lambda row, actor: services.related_remove(entity=row, actor=actor),
        entity,
        _("关联单位「%(name)s」") % {"name": entity.name},
    )


@login_required
@require_POST
def profile_submit_view(request):
    if not is_agency_member(request.user):
        raise PermissionDenied(_("此页面仅对第三方评价机构人员开放。"))
    return act(
        request,
        lambda: services.profile_submit(agency=request.user.organisation, actor=request.user),
        success=_("资质信息已提交审核，审核结果将通过消息通知。"),
        redirect_to=reverse("thirdparty:profile"),
    )


# --- the officials' pages -----------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return _("是") if value else _("否")


def _row_profile(agency):
    return profile_of(agency)


class AgencyListView(OfficialRequiredMixin, FilteredListView):
    template_name = "thirdparty/profile_agency_list.html"
    context_object_name = "agencies"
    filterset_class = AgencyFilter
    export_filename = gettext_lazy("第三方评价机构")
    export_title = gettext_lazy("第三方评价机构")
    export_columns = [
        Column(gettext_lazy("机构名称"), lambda a: a.name, width=36),
        Column(gettext_lazy("统一社会信用代码"), lambda a: a.credit_code, width=22),
        Column(
            gettext_lazy("区划"),
            lambda a: " · ".join(
                j.name for j in (a.jurisdiction.parent, a.jurisdiction) if j is not None
            ),
            width=24,
        ),
        Column(gettext_lazy("单位状态"), lambda a: a.get_status_display(), width=10),
        Column(gettext_lazy("资质审核状态"), lambda a: _status_label(_row_profile(a)), width=12),
        Column(
            gettext_lazy("法定代表人"),
            lambda a: p.legal_representative if (p := _row_profile(a)) else None,
            width=12,
        ),
        Column(gettext_lazy("评价人员"), lambda a: a.staff_total, width=10),
        Column(gettext_lazy("中级以上专职绿色评价人员"), lambda a: a.green_staff_count, width=14),
        Column(gettext_lazy("其中相关专业高级职称"), lambda a: a.senior_staff_count, width=14),
        Column(gettext_lazy("近五年业绩"), lambda a: a.recent_experience_count, width=10),
        Column(
            gettext_lazy("资质条件"),
            lambda a: _("符合") if qualification_of(a).eligible else _("不符合"),
            width=10,
        ),
        Column(
            gettext_lazy("提交时间"),
            lambda a: p.submitted_at if (p := _row_profile(a)) else None,
            width=18,
        ),
        Column(
            gettext_lazy("审核时间"),
            lambda a: p.decided_at if (p := _row_profile(a)) else None,
            width=18,
        ),
    ]

    def base_queryset(self):
        return agency_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            {"agency": agency, "profile": profile_of(agency), "check": qualification_of(agency)}
            for agency in context["agencies"]
        ]
        return context


@login_required
def agency_detail_view(request, pk):
    """An agency as the officials review it: everything the agency entered (the ID number
    masked), the qualification check, the decision form and the audit trail."""
    user = request.user
    if not (user.is_official or user.is_sysadmin):
        raise PermissionDenied(_("此页面仅对工信部门开放。"))
    agency = get_object_or_404(agency_list(user=user), pk=pk)
    context = agency_context(agency, user=user)
    profile = context["profile"]
    can_decide = (
        profile is not None
        and profile.status == S.SUBMITTED
        and services.can_decide(user=user, agency=agency)
    )
    context["can_decide"] = can_decide
    if can_decide:
        context["decision_form"] = DecisionForm(
            initial={"version": services.profile_version(profile)}
        )
    return render(request, "thirdparty/profile_agency_detail.html", context)


@login_required
@require_POST
def agency_decide_view(request, pk):
    user = request.user
    if not (user.is_official or user.is_sysadmin):
        raise PermissionDenied(_("此页面仅对工信部门开放。"))
    agency = get_object_or_404(agency_list(user=user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结论。"))
        return redirect("thirdparty:agency-detail", pk=agency.pk)
    try:
        services.profile_decide(
            agency=agency,
            actor=user,
            action=form.cleaned_data["action"],
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"],
        )
    except DomainError as error:
        context = agency_context(agency, user=user)
        context["can_decide"] = True
        context["decision_form"] = form
        context["refusal"] = error
        profile = context["profile"]
        if profile is not None:
            # The official's draft stays; the version becomes the one now shown.
            form.data = form.data.copy()
            form.data["version"] = services.profile_version(profile)
        return render(request, "thirdparty/profile_agency_detail.html", context)
    messages.success(request, _decision_message(form, agency))
    return redirect("thirdparty:agency-detail", pk=agency.pk)


def _decision_message(form, agency) -> str:
    if form.cleaned_data["action"] == "approve":
        return _("已审核通过「%(name)s」的资质。") % {"name": agency.name}
    return _("已退回「%(name)s」的资质，并通知该机构。") % {"name": agency.name}


urlpatterns = [
    path("agency/profile/", ProfileView.as_view(), name="profile"),
    path("agency/profile/edit/", ProfileEditView.as_view(), name="profile-edit"),
    path("agency/profile/submit/", profile_submit_view, name="profile-submit"),
    path("agency/staff/new/", StaffFormView.as_view(), name="profile-staff-create"),
    path("agency/staff/<int:pk>/edit/", StaffFormView.as_view(), name="profile-staff-update"),
    path("agency/staff/<int:pk>/delete/", staff_delete_view, name="profile-staff-delete"),
    path("agency/experience/new/", ExperienceFormView.as_view(), name="profile-experience-create"),
    path(
        "agency/experience/<int:pk>/edit/",
        ExperienceFormView.as_view(),
        name="profile-experience-update",
    ),
    path(
        "agency/experience/<int:pk>/delete/",
        experience_delete_view,
        name="profile-experience-delete",
    ),
    path("agency/related/new/", RelatedEntityFormView.as_view(), name="profile-related-create"),
    path(
        "agency/related/<int:pk>/edit/",
        RelatedEntityFormView.as_view(),
        name="profile-related-update",
    ),
    path("agency/related/<int:pk>/delete/", related_delete_view, name="profile-related-delete"),
    path("agencies/", AgencyListView.as_view(), name="agency-list"),
    path("agencies/<int:pk>/", agency_detail_view, name="agency-detail"),
    path("agencies/<int:pk>/decide/", agency_decide_view, name="agency-decide"),
]
