from django.urls import path

from yiwang.backoffice.views import (
    accounts,
    audit,
    auth,
    case_actions,
    cases,
    home,
    persons,
    window,
)

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
    path("cases/", cases.case_queue, name="cases"),
    path("cases/search/", cases.case_search, name="case-search"),
    path("cases/<id:case_id>/", cases.case_detail, name="case"),
    path(
        "cases/<id:case_id>/materials/<id:material_id>/",
        cases.case_material,
        name="case-material",
    ),
    path("cases/<id:case_id>/notices/<slug:kind>.pdf", cases.case_notice, name="case-notice"),
    *(
        path(f"cases/<id:case_id>/{segment}/", view, name=f"case-{segment}")
        for segment, view in (
            ("pre-review-pass", case_actions.pre_review_pass),
            ("supplement", case_actions.request_supplement),
            ("not-accept", case_actions.not_accept),
            ("accept", case_actions.accept),
            ("visit", case_actions.record_visit),
            ("review", case_actions.review),
            ("decide", case_actions.decide),
            ("pause", case_actions.pause),
            ("resume", case_actions.resume),
            ("extension", case_actions.request_extension),
            ("extension-decision", case_actions.decide_extension),
            ("ship", case_actions.ship),
            ("hand-over", case_actions.hand_over),
            ("deliver-electronically", case_actions.deliver_electronically),
        )
    ),
]
