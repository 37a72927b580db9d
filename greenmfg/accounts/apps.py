from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles, and the jurisdiction scoping every app uses."""

    name = "greenmfg.accounts"
    label = "accounts"
    verbose_name = _("用户与角色")

    def ready(self) -> None:
        # 批量导入工作人员账号: the import framework (greenmfg.core.imports) runs it by its kind.
        from greenmfg.accounts.imports import StaffImporter
        from greenmfg.core.imports.services import register_importer

        register_importer(StaffImporter())
