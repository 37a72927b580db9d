"""导入存量名单单位: the import pages (greenmfg.core.imports.views) mounted for the listings."""

from greenmfg.core.imports.views import import_urls
from registry.services.imports import KIND

urlpatterns = import_urls(
    kind=KIND,
    prefix="registry/listings/import/",
    name="registry:listing-import",
    route_name="listing-import",
)
