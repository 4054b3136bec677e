"""URLs of the audit app, mounted at the site's root: pages under a client use clients/<client_pk>/audit/."""

app_name = "audit"

urlpatterns = []
