from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """名单：the listed units, announcements and complaints."""

    name = "registry"
    verbose_name = _("名单管理")

    def ready(self) -> None:
        # A requested PDF is built by the Celery task; the service reaches it through this
        # hook, so document_services does not import the tasks module that imports it. Both
        # import models, which only exist once the registry is ready.
        from registry import tasks
        from registry.services import document as document_services

        document_services.register_build_queue(tasks.queue_build)

        # The pre-check reads the registry's removals through this hook (applications/ sits
        # below registry/ and imports none of it).
        from applications.precheck import register_fact_provider
        from registry.selectors.listing import removal_facts

        register_fact_provider(removal_facts)
