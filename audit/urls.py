"""URLs of the audit app, mounted at the site's root: pages under a client use clients/<client_pk>/audit/."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("activity/", views.EventListView.as_view(), name="event_list"),
    path("activity/export.csv", views.EventExportView.as_view(), name="event_export"),
    path("clients/<int:client_pk>/history/", views.ClientHistoryView.as_view(), name="client_history"),
]
