"""URLs of the ledger app, mounted at the site's root: pages under a client use clients/<client_pk>/ledger/."""

app_name = "ledger"

urlpatterns = []
