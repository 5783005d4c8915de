from django.urls import include, path

from yiwang.portal import views, views_access_log, views_catalog, views_qr_login
from yiwang.portal.account import self_service as account_pages
from yiwang.portal.account import views as account_views

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
    path("items/<str:code>/apply/", views_catalog.apply, name="item-apply"),
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
    path("preferences/region/", views.set_region, name="set-region"),
    path("preferences/elder-mode/", views.set_elder_mode, name="set-elder-mode"),
]
