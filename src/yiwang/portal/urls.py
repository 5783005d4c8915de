from django.urls import include, path

from yiwang.portal import views, views_access_log, views_catalog, views_qr_login
from yiwang.portal.account import self_service as account_pages
from yiwang.portal.account import views as account_views
from yiwang.portal.cases import apply as case_apply
from yiwang.portal.cases import drive as case_drive
from yiwang.portal.cases import mine as case_pages
from yiwang.portal.cases import query as case_query

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views_catalog.search, name="search"),
    path("search/suggest/", views_catalog.suggest, name="search-suggest"),
    path("search/go/<str:code>/", views_catalog.search_go, name="search-go"),
    path("personal/", views_catalog.personal, name="personal"),
    path("enterprise/", views_catalog.enterprise, name="enterprise"),
    path("themes/<str:code>/", views_catalog.theme, name="theme"),
    path("departments/<id:pk>/", views_catalog.department, name="department"),
    path("items/<str:code>/", views_catalog.item, name="item"),
    path("items/<str:code>/guide.pdf", views_catalog.item_pdf, name="item-pdf"),
    path("items/<str:code>/apply/", case_apply.start, name="item-apply"),
    path("items/<str:code>/result-sample/", views_catalog.result_sample, name="item-result-sample"),
    path(
        "items/<str:code>/versions/<id:number>/",
        views_catalog.item_version,
        name="item-version",
    ),
    path(
        "items/<str:code>/materials/<id:material>/<slug:kind>/",
        views_catalog.material_file,
        name="material-file",
    ),
    path(
        "items/<str:code>/versions/<id:number>/materials/<id:material>/<slug:kind>/",
        views_catalog.material_file,
        name="version-material-file",
    ),
    path(
        "items/<str:code>/versions/<id:number>/result-sample/",
        views_catalog.result_sample,
        name="version-result-sample",
    ),
    path("interaction/<slug:kind>/", views.interaction, name="interaction"),
    path("account/", account_pages.center, name="account"),
    path("account/register/", account_views.register, name="account-register"),
    path("account/login/", account_views.login, name="account-login"),
    path("account/logout/", account_views.logout, name="account-logout"),
    path("account/sms-code/", account_views.sms_code, name="account-sms-code"),
    path("account/agreement/", account_views.agreement, name="account-agreement"),
    path("account/password/", account_pages.change_password, name="account-password"),
    path("account/password/forgot/", account_pages.forgot_password, name="account-forgot"),
    path("account/phone/", account_pages.change_phone, name="account-phone"),
    path("account/profile/", account_pages.edit_profile, name="account-profile"),
    path("account/access-log/", views_access_log.access_log, name="access-log"),
    path("account/enterprise/", include("yiwang.portal.enterprise_account.urls")),
    path("account/qr/", views_qr_login.qr_page, name="qr-login"),
    path("account/qr/new/", views_qr_login.qr_start, name="qr-login-start"),
    path("account/qr/<str:token>/status/", views_qr_login.qr_poll, name="qr-login-poll"),
    path("account/qr/<str:token>/", views_qr_login.qr_confirm, name="qr-login-confirm"),
    # 网上申报 (issue 5): the applicant's own space under /my/, the public query under /cases/
    path("my/cases/", case_pages.my_cases, name="my-cases"),
    path("my/cases/<id:pk>/", case_pages.case_page, name="case"),
    path("my/cases/<id:pk>/edit/", case_apply.edit, name="case-edit"),
    path("my/cases/<id:pk>/supplement/", case_pages.supplement, name="case-supplement"),
    path("my/cases/<id:pk>/withdraw/", case_pages.withdraw, name="case-withdraw"),
    path("my/cases/<id:pk>/receipt/", case_pages.confirm_receipt, name="case-receipt"),
    path(
        "my/cases/<id:pk>/materials/<id:material>/",
        case_pages.material_file,
        name="case-material",
    ),
    path("my/cases/<id:pk>/notices/<slug:kind>.pdf", case_pages.notice, name="case-notice"),
    path("my/materials/", case_drive.my_materials, name="my-materials"),
    path("my/materials/<id:pk>/", case_drive.material_file, name="my-material"),
    path("my/materials/<id:pk>/remove/", case_drive.remove, name="my-material-remove"),
    path("cases/query/", case_query.public_query, name="case-query"),
    path("preferences/region/", views.set_region, name="set-region"),
    path("preferences/elder-mode/", views.set_elder_mode, name="set-elder-mode"),
]
