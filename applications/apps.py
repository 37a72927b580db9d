from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """申报：applications, batches and the cultivation pool."""

    name = "applications"
    verbose_name = _("申报管理")

    def ready(self):
        # AppConfig.ready() is where Django wires an app's hooks, once the models are loaded.
        # applications' own hooks on an application transition (see workflow.py); reviews/,
        # registry/ and thirdparty/ register theirs in their own ready().
        from applications.services.applications import (
            mark_candidate_applied,
            notify_applicant_of_return,
            notify_county_of_submission,
        )
        from applications.services.exceptions import recommend_refusals
        from applications.workflow import register_effect, register_guard

        register_guard("recommend", recommend_refusals)
        # In this order: the candidacy first, then the county's notices.
        register_effect("submit", mark_candidate_applied)
        register_effect("submit", notify_county_of_submission)
        register_effect("return", notify_applicant_of_return)
