"""填报期 pages: the windows an official reads, and the form a bureau sets or edits one with."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from dynamic_mgmt.filters.table import WindowFilter
from dynamic_mgmt.forms.table import WindowForm
from dynamic_mgmt.services import window as services
from dynamic_mgmt.services.calendar import schedule_for
from greenmfg.audit.selectors import audit_entries_for
from greenmfg.core import clock
from greenmfg.core.actions import act_on_form
from greenmfg.core.export import Column
from greenmfg.core.lists import FilteredListView
from greenmfg.core.permissions import OfficialRequiredMixin
from greenmfg.core.workdays import fixed_date_note
from greenmfg.directory.models import Jurisdiction, Organisation


def _authorities_for(user):
    """The bureaus an administrator may set a window for; None for everyone else."""
    if not user.is_sysadmin:
        return None
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.BUREAU, jurisdiction__level__in=services.AUTHORITY_LEVELS
        )
        .select_related("jurisdiction")
        .order_by("jurisdiction__path")
    )


def _jurisdictions_for(user):
    """Where a bureau may set a window: its own jurisdiction and the places below it."""
    if user.is_sysadmin or not user.organisation_id:
        return None
    root = user.organisation.jurisdiction
    return Jurisdiction.objects.filter(path__startswith=root.path).order_by("path")


class WindowListView(OfficialRequiredMixin, FilteredListView):
    template_name = "dynamic_mgmt/window_list.html"
    context_object_name = "windows"
    filterset_class = WindowFilter
    export_filename = gettext_lazy("动态管理表填报期")
    export_title = gettext_lazy("动态管理表填报期")
    export_columns = [
        Column(gettext_lazy("适用范围"), lambda w: w.jurisdiction.name, width=20),
        Column(gettext_lazy("名单层级"), lambda w: w.get_level_display(), width=12),
        Column(gettext_lazy("填报年度"), lambda w: w.year, width=10),
        Column(gettext_lazy("开始填报日期"), lambda w: w.opens_on, width=14),
        Column(gettext_lazy("填报截止日期"), lambda w: w.deadline, width=14),
        Column(
            gettext_lazy("截止前提醒（天）"),
            lambda w: "、".join(str(day) for day in w.reminder_days),
            width=16,
        ),
        Column(gettext_lazy("依据"), lambda w: w.citation, width=36),
        Column(gettext_lazy("设置单位"), lambda w: w.authority.name, width=28),
    ]

    def base_queryset(self):
        return services.window_list(user=self.request.user).order_by(
            "-year", "deadline", "jurisdiction__path"
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(
            can_create=services.can_create_windows(user=user), **kwargs
        )
        windows = list(context["windows"])
        context["manageable"] = {
            window.pk for window in windows if services.can_manage_window(user=user, window=window)
        }
        # A filing deadline is a fixed date (洛阳 第十六条 4月15日前), not a period: it is not
        # moved, but the reader is told whether it is a working day (one schedule per page).
        years = {window.deadline.year + step for window in windows for step in (0, 1)}
        schedule = schedule_for(years)
        for window in windows:
            window.deadline_note = fixed_date_note(window.deadline, schedule)
        return context


class WindowAuthorRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    permission_denied_message = gettext_lazy("只有市级及以上工信部门可以设置动态管理表填报期。")

    def test_func(self):
        return services.can_create_windows(user=self.request.user)


class WindowCreateView(WindowAuthorRequiredMixin, FormView):
    template_name = "dynamic_mgmt/window_form.html"
    form_class = WindowForm

    def get_initial(self):
        return {"year": clock.today().year}

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "authorities": _authorities_for(user),
            "jurisdictions": _jurisdictions_for(user),
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        if data.get("jurisdiction") is None:
            data.pop("jurisdiction", None)
        return act_on_form(
            self.request,
            form,
            lambda: services.window_create(actor=self.request.user, **data),
            success=lambda window: (
                _("已设置%(place)s%(level)s名单%(year)s年度的填报期，截止日期 %(deadline)s。")
                % {
                    "place": window.jurisdiction.name,
                    "level": window.get_level_display(),
                    "year": window.year,
                    "deadline": window.deadline.isoformat(),
                }
            ),
            redirect_to=reverse("dynamic_mgmt:window-list"),
        ) or self.form_invalid(form)


class WindowEditView(LoginRequiredMixin, FormView):
    template_name = "dynamic_mgmt/window_form.html"
    form_class = WindowForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.window = get_object_or_404(
            services.window_list(user=request.user).select_related("authority__jurisdiction"),
            pk=kwargs["pk"],
        )
        if not services.can_manage_window(user=request.user, window=self.window):
            raise PermissionDenied(_("只有设置该填报期的工信部门可以修改。"))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        window = self.window
        return {
            "level": window.level,
            "year": window.year,
            "opens_on": window.opens_on,
            "deadline": window.deadline,
            "reminder_days": ",".join(str(day) for day in window.reminder_days),
            "citation": window.citation,
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locked": True}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            window=self.window, audit_entries=audit_entries_for(subject=self.window)[:50], **kwargs
        )

    def form_valid(self, form):
        changes = {name: form.cleaned_data[name] for name in services.EDITABLE}
        return act_on_form(
            self.request,
            form,
            lambda: services.window_update(window=self.window, actor=self.request.user, **changes),
            success=_("填报期已保存。"),
            redirect_to=reverse("dynamic_mgmt:window-list"),
        ) or self.form_invalid(form)


urlpatterns = [
    path("dynamic/windows/", WindowListView.as_view(), name="window-list"),
    path("dynamic/windows/new/", WindowCreateView.as_view(), name="window-create"),
    path("dynamic/windows/<int:pk>/edit/", WindowEditView.as_view(), name="window-edit"),
]
