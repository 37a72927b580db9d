from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, View

from greenmfg.accounts.roles import Role
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core.actions import act, act_on_form
from greenmfg.core.errors import DomainError
from greenmfg.core.export import Column, choice_label
from greenmfg.core.forms import add_service_errors
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin
from greenmfg.core.transitions import offered_transitions
from greenmfg.directory import services
from greenmfg.directory.filters import OrganisationFilter
from greenmfg.directory.forms import (
    FunctionalZoneForm,
    OrganisationForm,
    RegistrationForm,
    TransitionForm,
)
from greenmfg.directory.models import Jurisdiction, Organisation
from greenmfg.directory.pagination import OrganisationPaginator
from greenmfg.directory.selectors import jurisdiction_list, organisation_list
from greenmfg.directory.widgets import children_prompt
from greenmfg.directory.workflow import organisation_workflow

# The labels of 100,000 rows' choices, looked up rather than rebuilt per row (choice_label).
KIND_LABEL = choice_label(Organisation, "kind")
DEPARTMENT_LABEL = choice_label(Organisation, "department")


class OrganisationListView(OfficialRequiredMixin, FilteredListView):
    template_name = "directory/organisation_list.html"
    context_object_name = "organisations"
    filterset_class = OrganisationFilter
    export_filename = gettext_lazy("单位列表")
    export_title = gettext_lazy("单位列表")
    export_columns = [
        Column(gettext_lazy("单位名称"), lambda o: o.name, width=36),
        Column(
            gettext_lazy("类别"),
            lambda o: KIND_LABEL(o) + (f"（{DEPARTMENT_LABEL(o)}）" if o.department else ""),
            width=24,
        ),
        Column(gettext_lazy("统一社会信用代码"), lambda o: o.credit_code, width=22),
        Column(
            gettext_lazy("区划"),
            # A model instance has no parent (None); a row read as values, a parent named None.
            lambda o: " · ".join(
                j.name
                for j in (o.jurisdiction.parent, o.jurisdiction)
                if j is not None and j.name is not None
            ),
            width=24,
        ),
        Column(gettext_lazy("状态"), choice_label(Organisation, "status"), width=12),
        Column(gettext_lazy("登记时间"), lambda o: o.created_at, width=18),
    ]
    # What the columns read: the rows are read as these values, not as model instances.
    export_fields = (
        "name",
        "kind",
        "department",
        "credit_code",
        "jurisdiction__name",
        "jurisdiction__parent__name",
        "status",
        "created_at",
    )

    def base_queryset(self):
        return organisation_list(user=self.request.user)

    def get_paginator(self, queryset, per_page, **kwargs):
        return OrganisationPaginator(
            queryset,
            per_page,
            known_count=self.filterset.summary_count(user=self.request.user),
            **kwargs,
        )


class OrganisationDetailView(LoginRequiredMixin, DetailView):
    template_name = "directory/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return organisation_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisation = self.object
        context["transitions"] = (
            []
            if user.role == Role.APPLICANT and user.organisation_id != organisation.pk
            else offered_transitions(
                workflow=organisation_workflow,
                state=organisation.status,
                role=user.effective_role,
                refusals=lambda t: services.organisation_refusals(
                    organisation=organisation, action=t.action, actor=user
                ),
            )
        )
        if organisation.status == organisation.Status.REJECTED:
            context["rejection"] = (
                audit_entries_for(subject=organisation).filter(action="reject").first()
            )
        if user.is_official or user.is_sysadmin:
            context["audit_entries"] = audit_entries_for(subject=organisation)[:50]
            context["members"] = organisation.users.order_by("username")
        return context


class OrganisationTransitionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        organisation = get_object_or_404(organisation_list(user=request.user), pk=pk)
        form = TransitionForm(request.POST)
        back = reverse("directory:organisation-detail", args=[organisation.pk])
        if not form.is_valid():
            return redirect(back)
        return act(
            request,
            lambda: services.organisation_transition(
                organisation=organisation,
                actor=request.user,
                action=form.cleaned_data["action"],
                comment=form.cleaned_data["comment"],
            ),
            success=_("操作成功。"),
            redirect_to=back,
            brief=True,
        )


class OrganisationCreateView(OfficialRequiredMixin, FormView):
    template_name = "directory/organisation_form.html"
    form_class = OrganisationForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "jurisdictions": jurisdiction_list(user=self.request.user),
        }

    def form_valid(self, form):
        return act_on_form(
            self.request,
            form,
            lambda: services.organisation_create(actor=self.request.user, **form.cleaned_data),
            success=lambda organisation: _("已登记「%(name)s」。") % {"name": organisation.name},
            redirect_to=lambda organisation: reverse(
                "directory:organisation-detail", args=[organisation.pk]
            ),
        ) or self.form_invalid(form)


class RegistrationView(FormView):
    template_name = "directory/register.html"
    form_class = RegistrationForm

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_confirm"}
        try:
            user = services.registration_submit(**data)
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        login(self.request, user, backend="greenmfg.accounts.backends.ModelBackend")
        messages.success(
            self.request,
            _("注册已提交，请等待「%(place)s」工信部门审核。")
            % {"place": user.organisation.jurisdiction.name},
        )
        return redirect(reverse("dashboard"))


# The children of a jurisdiction, for the cascading region picker (greenmfg/directory/widgets.py).
# The division tree is public (every published list names its regions), so no login is needed;
# a choice outside the asker's scope is refused by the form that receives it.
REGION_CHILDREN_MAX = 500


def region_children_view(request):
    key = (request.GET.get("parent") or "").strip()[:20]
    parent = Jurisdiction.objects.filter(key=key).only("pk", "level").first() if key else None
    if parent is None:
        return JsonResponse({"detail": _("没有该行政区划：%(key)s") % {"key": key}}, status=404)
    children = Jurisdiction.objects.filter(parent=parent, active=True)
    if request.GET.get("kind") == Jurisdiction.Kind.ADMIN:
        # Administrative divisions only, no 功能区 (the zones form's picker).
        children = children.filter(kind=Jurisdiction.Kind.ADMIN)
    children = list(children.order_by("key").values("key", "name", "level")[:REGION_CHILDREN_MAX])
    prompt = children_prompt(parent.level, children[0]["level"]) if children else ""
    response = JsonResponse(
        {
            "results": [{"key": c["key"], "name": c["name"]} for c in children],
            "prompt": str(prompt),
        }
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


class FunctionalZoneView(OfficialRequiredMixin, FormView):
    """功能区: the zones in the official's jurisdiction, and a form to add one under a city or
    a county of it (a county's own official: under their county)."""

    template_name = "directory/functional_zones.html"
    form_class = FunctionalZoneForm

    def browse(self):
        """The current divisions of the official's jurisdiction (every one, for an
        administrator): the places the parent picker walks through. Zones are left out: no zone
        is set under another."""
        return (
            jurisdiction_list(user=self.request.user)
            .select_related(None)
            .filter(kind=Jurisdiction.Kind.ADMIN, active=True)
        )

    def parents(self):
        return self.browse().filter(level__in=services.ZONE_PARENT_LEVELS).order_by("path")

    def picker_root(self) -> Jurisdiction | None:
        """Whose children the picker's first select offers. A city's or a county's official
        may choose their own place, so the picker starts one level above it and offers that
        place alone; a province's (or the nation's) starts at it. An administrator's: the
        shallowest division (the nation), found by the field."""
        user = self.request.user
        if user.is_sysadmin or not user.is_official:
            return None
        place = user.organisation.jurisdiction
        if place.level in services.ZONE_PARENT_LEVELS and place.parent_id:
            return place.parent
        return place

    def get_initial(self):
        # A city's or county's official starts from their own place, chosen, with the level
        # below it (the city's counties) already shown.
        root = self.picker_root()
        user = self.request.user
        if root is not None and root != user.organisation.jurisdiction:
            return {"parent": user.organisation.jurisdiction}
        return {}

    def post(self, request, *args, **kwargs):
        # 显示下一级 (the picker without JavaScript): the form again, nothing saved, with the
        # place chosen so far and the level below it, and no complaint about the empty name.
        if NEXT_LEVEL in request.POST:
            form = self.get_form_class()(**{**self.get_form_kwargs(), "data": None, "files": None})
            field = form.fields["parent"]
            try:
                chosen = field.to_python(request.POST.getlist("parent"))
            except ValidationError:
                chosen = field.partial
            form.initial = {"parent": chosen, "name": request.POST.get("name", "")}
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "parents": self.parents(),
            "browse": self.browse(),
            "root": self.picker_root(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["zones"] = (
            jurisdiction_list(user=self.request.user)
            .filter(kind=Jurisdiction.Kind.FUNCTIONAL)
            .order_by("path")[:ZONES_SHOWN]
        )
        context["may_add"] = self.parents().exists()
        context["next_level"] = NEXT_LEVEL
        return context

    def form_valid(self, form):
        return act_on_form(
            self.request,
            form,
            lambda: services.functional_zone_create(actor=self.request.user, **form.cleaned_data),
            success=lambda zone: (
                _("已新增功能区「%(name)s」（标识 %(key)s）。")
                % {"name": zone.name, "key": zone.key}
            ),
            redirect_to=reverse("directory:functional-zones"),
        ) or self.form_invalid(form)


ZONES_SHOWN = 500
NEXT_LEVEL = "next_level"  # the name of the zones form's 显示下一级 button
