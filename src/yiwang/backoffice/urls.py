from django.urls import path

from yiwang.backoffice.views import accounts, audit, auth, home, persons, window

app_name = "backoffice"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.login_password, name="login"),
    path("login/totp/", auth.login_totp, name="totp"),
    path("login/enrol/", auth.enrol_totp, name="enrol"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/", auth.change_password, name="password"),
    path("window/register/", window.register, name="window-register"),
    path("persons/", persons.lookup, name="persons"),
    path("accounts/", accounts.account_list, name="accounts"),
    path("accounts/new/", accounts.account_new, name="account-new"),
    path("accounts/<uuid:uid>/", accounts.account_detail, name="account"),
    path("accounts/<uuid:uid>/disable/", accounts.account_disable, name="account-disable"),
    path("accounts/<uuid:uid>/unban/", accounts.account_unban_request, name="account-unban"),
    path("accounts/<uuid:uid>/roles/", accounts.account_grant_role, name="account-grant-role"),
    path(
        "accounts/<uuid:uid>/roles/<id:assignment_id>/revoke/",
        accounts.account_revoke_role,
        name="account-revoke-role",
    ),
    path("unban-requests/", accounts.unban_requests, name="unban-requests"),
    path("audit/", audit.audit_log, name="audit"),
]
