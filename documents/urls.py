"""URLs of the documents app, mounted at the site's root: a client's pages under clients/<client_pk>/."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("clients/<int:client_pk>/documents/", views.ClientDocumentsView.as_view(), name="client_documents"),
    path("clients/<int:client_pk>/documents/new/", views.DocumentAddView.as_view(), name="document_add"),
    path(
        "clients/<int:client_pk>/documents/<int:pk>/delete/",
        views.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path("documents/<int:pk>/download/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("documents/<int:pk>/open/", views.DocumentDownloadView.as_view(inline=True), name="document_open"),
    path("documents/<int:pk>/preview/", views.DocumentThumbnailView.as_view(), name="document_thumbnail"),
    path("clients/<int:client_pk>/photo/", views.ClientPhotoView.as_view(), name="clientphoto_edit"),
    path(
        "clients/<int:client_pk>/photo/remove/",
        views.ClientPhotoRemoveView.as_view(),
        name="clientphoto_remove",
    ),
    path(
        "clients/<int:client_pk>/photo/<str:version>.jpg",
        views.ClientPhotoThumbnailView.as_view(),
        name="clientphoto_thumbnail",
    ),
]
