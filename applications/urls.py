from applications.views import applications, batches, credit, industry, pool

app_name = "applications"

urlpatterns = [
    *batches.urlpatterns,
    *pool.urlpatterns,
    *credit.urlpatterns,
    *industry.urlpatterns,
    *applications.urlpatterns,
]
