from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.GroupListView.as_view(), name="group_list"),
    path("new/", views.GroupCreateView.as_view(), name="group_create"),
    path("<int:pk>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("<int:pk>/edit/", views.GroupUpdateView.as_view(), name="group_update"),
    path("<int:pk>/activate/", views.GroupActivateView.as_view(), name="group_activate"),
    path("<int:pk>/close/", views.GroupCloseView.as_view(), name="group_close"),
    path("<int:pk>/officer/", views.GroupOfficerView.as_view(), name="group_officer"),
    path("<int:pk>/members/add/", views.MemberAddView.as_view(), name="member_add"),
    path("<int:pk>/members/roles/", views.MemberRoleView.as_view(), name="member_role"),
    path("<int:pk>/members/<int:client_pk>/remove/", views.MemberRemoveView.as_view(), name="member_remove"),
    path("<int:pk>/members/<int:client_pk>/move/", views.MemberMoveView.as_view(), name="member_move"),
    path("client/<int:client_pk>/", views.ClientGroupsView.as_view(), name="client_groups"),
]
