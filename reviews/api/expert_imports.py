"""导入专家库成员 API: ``/api/imports/experts/`` (greenmfg.core.imports.api)."""

from greenmfg.core.imports.api import import_viewset
from reviews.services.expert_imports import KIND

ExpertImportViewSet = import_viewset(KIND)

routes = [("imports/experts", ExpertImportViewSet, "expert-import")]
