from applications.api import applications as applications_api
from applications.api import batches as batches_api
from applications.api import credit as credit_api
from applications.api import facts as facts_api
from applications.api import industry as industry_api
from applications.api import pool as pool_api
from applications.views import applications, batches, credit, industry, pool

app_name = "applications"

urlpatterns = [
    *batches.urlpatterns,
    *pool.urlpatterns,
    *credit.urlpatterns,
    *industry.urlpatterns,
    *applications.urlpatterns,
]

# The app's API viewsets, registered on the one router in greenmfg/urls.py.
api_routes = [
    *applications_api.routes,
    *batches_api.routes,
    *credit_api.routes,
    *facts_api.routes,
    *industry_api.routes,
    *pool_api.routes,
]
