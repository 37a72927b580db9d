from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """名单：the listed units, announcements and complaints."""

    name = "registry"
    verbose_name = _("名单管理")

    def ready(self) -> None:
        # How the registry's long PDFs are built (a list in parts, the published list): the
        # shared document tasks of greenmfg.core run them.
        from registry.services import document as document_services

        document_services.register_builders()

        # The pre-check reads the registry's removals through this hook (applications/ sits
        # below registry/ and imports none of it).
        from applications.precheck import register_fact_provider
        from registry.selectors.listing import removal_facts

        register_fact_provider(removal_facts)

        # 导入存量名单单位: the import framework (greenmfg.core.imports) runs it by its kind.
        from greenmfg.core.imports.services import register_importer
        from registry.services.imports import ListingImporter

        register_importer(ListingImporter())
