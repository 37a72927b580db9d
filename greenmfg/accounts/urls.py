"""批量导入工作人员账号: the import pages (greenmfg.core.imports.views) mounted for staff."""

from greenmfg.accounts.imports import KIND
from greenmfg.core.imports.views import import_urls

app_name = "accounts"

urlpatterns = import_urls(
    kind=KIND,
    prefix="accounts/staff/import/",
    name="accounts:staff-import",
    route_name="staff-import",
)
