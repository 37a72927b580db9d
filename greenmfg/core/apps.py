from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared pieces: domain errors, the workflow helper, the API plumbing, the shell pages."""

    name = "greenmfg.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        # Long documents are built by the Celery tasks, which the documents module reaches
        # through this hook (the tasks import it); the Excel export registers how it is built.
        from greenmfg.core import export, tasks
        from greenmfg.core.imports import tasks as import_tasks

        tasks.register()
        export.register()
        import_tasks.register()
