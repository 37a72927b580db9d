from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """评审：county review, department opinions, and (next) expert scoring and publicity."""

    name = "reviews"
    verbose_name = _("评审管理")

    def ready(self):
        # Imported here because models and services need the app registry to be ready.
        from applications.workflow import register_effect, register_guard
        from reviews.services.review import (
            AUTHORITY_ACTIONS,
            authority_refusals,
            notify_city_of_recommendation,
            recommend_refusals,
        )

        register_guard("recommend", recommend_refusals)
        register_effect("recommend", notify_city_of_recommendation)
        from reviews.services.expert import start_review_refusals
        from reviews.services.sheet import decide_pass_refusals

        for action in AUTHORITY_ACTIONS:
            register_guard(action, authority_refusals)
        # After the authority check, so that a stranger is told who decides, not the score.
        register_guard("decide_pass", decide_pass_refusals)
        register_guard("start_expert_review", start_review_refusals)
        from reviews.services.promotion import revoke_refusals

        register_guard("revoke_recommendation", revoke_refusals)

        # Which applications an expert sees in applications' lists: those assigned to them.
        from applications.selectors.applications import register_visibility
        from greenmfg.accounts.roles import Role
        from reviews.selectors.expert import assigned_applications_q

        register_visibility(Role.EXPERT, assigned_applications_q)

        # 导入专家库成员: the import framework (greenmfg.core.imports) runs it by its kind.
        from greenmfg.core.imports.services import register_importer
        from reviews.services.expert_imports import ExpertImporter

        register_importer(ExpertImporter())
