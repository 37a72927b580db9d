from applications.views import applications, batches, credit, pool

app_name = "applications"

urlpatterns = [
    *batches.urlpatterns,
    *pool.urlpatterns,
    *credit.urlpatterns,
    *applications.urlpatterns,
]
