"""Addresses of the group pages: ``groups:group_<action>`` after ``groups.services.ACTIONS``, and the
client's Groups tab under the client's own address."""

from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("groups/", views.GroupListView.as_view(), name="group_list"),
    path("groups/new/", views.GroupCreateView.as_view(), name="group_add"),
    path("groups/<int:pk>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/edit/", views.GroupUpdateView.as_view(), name="group_edit"),
    path("groups/<int:pk>/activate/", views.GroupActivateView.as_view(), name="group_activate"),
    path("groups/<int:pk>/close/", views.GroupCloseView.as_view(), name="group_close"),
    path("groups/<int:pk>/officer/", views.GroupOfficerView.as_view(), name="group_assign_officer"),
    path("groups/<int:pk>/members/add/", views.MemberAddView.as_view(), name="group_add_member"),
    path("groups/<int:pk>/members/roles/", views.MemberRoleView.as_view(), name="group_set_role"),
    path(
        "groups/<int:pk>/members/<int:client_pk>/remove/",
        views.MemberRemoveView.as_view(),
        name="group_remove_member",
    ),
    path(
        "groups/<int:pk>/members/<int:client_pk>/move/",
        views.MemberMoveView.as_view(),
        name="group_move_member",
    ),
    path("clients/<int:client_pk>/groups/", views.ClientGroupsView.as_view(), name="client_groups"),
]
