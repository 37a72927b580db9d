"""评审 pages. Each module of the app contributes its own urlpatterns here."""

from reviews.api import bulk as bulk_api
from reviews.api import expert as expert_api
from reviews.api import expert_imports as expert_imports_api
from reviews.api import phase as phase_api
from reviews.api import promotion as promotion_api
from reviews.api import publicity as publicity_api
from reviews.api import review as review_api
from reviews.api import round as round_api
from reviews.api import sheet as sheet_api
from reviews.api import template as template_api
from reviews.views.bulk import urlpatterns as bulk_urls
from reviews.views.expert import urlpatterns as expert_urls
from reviews.views.expert_imports import urlpatterns as expert_import_urls
from reviews.views.pdf import urlpatterns as pdf_urls
from reviews.views.phase import urlpatterns as phase_urls
from reviews.views.promotion import urlpatterns as promotion_urls
from reviews.views.publicity import urlpatterns as publicity_urls
from reviews.views.review import urlpatterns as review_urls
from reviews.views.round import urlpatterns as round_urls
from reviews.views.sheet import urlpatterns as sheet_urls

app_name = "reviews"

urlpatterns = [
    *review_urls,
    *sheet_urls,
    *expert_import_urls,
    *expert_urls,
    *publicity_urls,
    *promotion_urls,
    *round_urls,
    *phase_urls,
    *bulk_urls,
    *pdf_urls,
]

# The app's API viewsets, registered on the one router in greenmfg/urls.py.
api_routes = [
    *review_api.routes,
    *sheet_api.routes,
    *expert_api.routes,
    *expert_imports_api.routes,
    *phase_api.routes,
    *publicity_api.routes,
    *promotion_api.routes,
    *round_api.routes,
    *template_api.routes,
    *bulk_api.routes,
]
