"""URLs of the documents app, mounted at the site's root: pages under a client use clients/<client_pk>/documents/."""

app_name = "documents"

urlpatterns = []
