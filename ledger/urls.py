"""URLs of the ledger app, mounted at the site's root."""

from django.urls import path, re_path

from . import views

app_name = "ledger"

urlpatterns = [
    path("clients/<int:client_pk>/accounts/", views.ClientAccountsView.as_view(), name="client_accounts"),
    path("clients/<int:client_pk>/accounts/open/", views.AccountOpenView.as_view(), name="account_open"),
    path(
        "clients/<int:client_pk>/transactions/",
        views.ClientTransactionsView.as_view(),
        name="client_transactions",
    ),
    path("groups/<int:group_pk>/accounts/", views.GroupAccountsView.as_view(), name="group_accounts"),
    path("accounts/<int:pk>/", views.AccountDetailView.as_view(), name="account_detail"),
    path("accounts/<int:pk>/post/", views.AccountPostView.as_view(), name="account_post"),
    path(
        "accounts/<int:pk>/activate/",
        views.AccountActivateView.as_view(),
        name="account_activate",
    ),
    path(
        "accounts/<int:pk>/close/",
        views.AccountCloseView.as_view(),
        name="account_close",
    ),
    path(
        "accounts/<int:pk>/repaid/",
        views.AccountRepaidView.as_view(),
        name="account_repaid",
    ),
    path("accounts/<int:pk>/write-off/", views.AccountWriteOffView.as_view(), name="account_write_off"),
    re_path(
        r"^accounts/(?P<pk>[0-9]+)/statement\.(?P<format>csv|pdf)$",
        views.AccountStatementView.as_view(),
        name="account_statement",
    ),
    path(
        "transactions/<int:pk>/reverse/",
        views.TransactionReverseView.as_view(),
        name="transaction_reverse",
    ),
]
