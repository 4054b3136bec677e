from django.urls import path

from .lifecycle import ACTIONS
from .views import dashboard, exports, imports, lifecycle, record, registry
from .views import list as client_list

app_name = "clients"

urlpatterns = [
    path("", client_list.ClientListView.as_view(), name="client_list"),
    path("export.<str:file_format>", exports.ClientExportView.as_view(), name="client_export"),
    path("import/", imports.ImportStartView.as_view(), name="client_import"),
    path(
        "import/template.<str:file_format>",
        imports.ImportTemplateView.as_view(),
        name="client_import_template",
    ),
    path("import/<int:pk>/", imports.ImportRunView.as_view(), name="importrun_detail"),
    path("import/<int:pk>/confirm/", imports.ImportConfirmView.as_view(), name="importrun_confirm"),
    path("import/<int:pk>/cancel/", imports.ImportCancelView.as_view(), name="importrun_cancel"),
    path("import/<int:pk>/errors/", imports.ImportErrorsView.as_view(), name="importrun_errors"),
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("quality/", dashboard.DataQualityView.as_view(), name="data_quality"),
    path("<int:client_pk>/record/", record.ClientRecordView.as_view(), name="client_record"),
    path("new/", registry.ClientAddView.as_view(), name="client_add"),
    path("new/<slug:legal_form>/", registry.ClientCreateView.as_view(), name="client_create"),
    path("<int:client_pk>/", registry.ClientDetailView.as_view(), name="client_detail"),
    path("<int:client_pk>/edit/", registry.ClientUpdateView.as_view(), name="client_edit"),
    path(
        "<int:client_pk>/identifications/",
        registry.ClientIdentificationsView.as_view(),
        name="client_identifications",
    ),
    path(
        "<int:client_pk>/identifications/new/",
        registry.IdentificationCreateView.as_view(),
        name="identification_add",
    ),
    path(
        "<int:client_pk>/identifications/<int:pk>/edit/",
        registry.IdentificationUpdateView.as_view(),
        name="identification_edit",
    ),
    path(
        "<int:client_pk>/identifications/<int:pk>/delete/",
        registry.IdentificationDeleteView.as_view(),
        name="identification_delete",
    ),
    path("<int:client_pk>/family/", registry.ClientFamilyView.as_view(), name="client_family"),
    path("<int:client_pk>/family/new/", registry.FamilyMemberCreateView.as_view(), name="family_member_add"),
    path(
        "<int:client_pk>/family/<int:pk>/edit/",
        registry.FamilyMemberUpdateView.as_view(),
        name="family_member_edit",
    ),
    path(
        "<int:client_pk>/family/<int:pk>/delete/",
        registry.FamilyMemberDeleteView.as_view(),
        name="family_member_delete",
    ),
    path("<int:client_pk>/notes/", registry.ClientNotesView.as_view(), name="client_notes"),
    path("<int:client_pk>/notes/new/", registry.NoteCreateView.as_view(), name="note_add"),
    path("<int:client_pk>/notes/<int:pk>/edit/", registry.NoteUpdateView.as_view(), name="note_edit"),
    path("<int:client_pk>/notes/<int:pk>/delete/", registry.NoteDeleteView.as_view(), name="note_delete"),
    path("<int:client_pk>/timeline/", lifecycle.ClientTimelineView.as_view(), name="client_timeline"),
    path("officers/reassign/", lifecycle.OfficerReassignView.as_view(), name="officer_reassign"),
    # One page per lifecycle action: clients:client_activate, clients:client_propose_transfer, ...
    *[
        path(
            f"<int:client_pk>/{name.replace('_', '-')}/",
            lifecycle.ClientActionView.as_view(action=name),
            name=f"client_{name}",
        )
        for name in ACTIONS
    ],
]
