"""导入专家库成员: the import pages (greenmfg.core.imports.views) mounted for the expert pool."""

from greenmfg.core.imports.views import import_urls
from reviews.services.expert_imports import KIND

urlpatterns = import_urls(
    kind=KIND,
    prefix="experts/import/",
    name="reviews:expert-import",
    route_name="expert-import",
)
