from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """申报：applications, batches and the cultivation pool."""

    name = "applications"
    verbose_name = _("申报管理")

    def ready(self):
        # AppConfig.ready() is where Django wires an app's hooks, once the models are loaded.
        from .guards import register_guard
        from .services.exceptions import recommend_refusals

        register_guard("recommend", recommend_refusals)
