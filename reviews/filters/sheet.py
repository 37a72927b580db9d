"""Filters of the sheet lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from greenmfg.core.filters import IdFilter
from reviews.models import ExpertAssignment, OnsiteCheck, ScoreSheet
from reviews.selectors.sheet import REVIEWED_STATES


class AssignmentFilter(django_filters.FilterSet):
    """The expert's own assignments; (expert, status) is the ``assignment_inbox`` index."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=ExpertAssignment.Status.choices)
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("assigned_at", "assigned_at"),),
        field_labels={"assigned_at": _("分配时间")},
    )

    class Meta:
        model = ExpertAssignment
        fields = ["status"]


class SheetFilter(django_filters.FilterSet):
    """Sheets of one application (the ``assignment_once`` index leads with the application)."""

    application = IdFilter(field_name="assignment__application", label=_("申报编号"))

    class Meta:
        model = ScoreSheet
        fields = ["application"]


class ApplicationScoreFilter(django_filters.FilterSet):
    """By batch and state: the ``application_batch_status`` index."""

    batch = IdFilter(field_name="batch", label=_("批次编号"))
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[
            (value, label)
            for value, label in Application.Status.choices
            if value in REVIEWED_STATES
        ],
    )

    class Meta:
        model = Application
        fields = ["batch", "status"]


class OnsiteCheckFilter(django_filters.FilterSet):
    application = IdFilter(field_name="application", label=_("申报编号"))

    class Meta:
        model = OnsiteCheck
        fields = ["application"]
