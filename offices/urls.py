from django.urls import path

from . import views

app_name = "offices"

urlpatterns = [
    path("accounts/profile/", views.ProfileView.as_view(), name="profile"),
    path("accounts/language/", views.switch_language, name="language_switch"),
]
