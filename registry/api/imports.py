"""导入存量名单单位 API: ``/api/imports/listings/`` (greenmfg.core.imports.api)."""

from greenmfg.core.imports.api import import_viewset
from registry.services.imports import KIND

ListingImportViewSet = import_viewset(KIND)

routes = [("imports/listings", ListingImportViewSet, "listing-import")]
