"""URLs of the 法人用户 pages, mounted at /account/enterprise/ by ``yiwang.portal.urls``."""

from django.urls import path

from yiwang.portal.enterprise_account import views

app_name = "enterprise-account"

urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("switch/", views.switch, name="switch"),
    path("switch-back/", views.switch_back, name="switch-back"),
    path("request/", views.request_grant, name="request"),
    path("change-representative/", views.change_representative, name="change-representative"),
    path("<str:uscc>/grants/", views.grants, name="grants"),
    path("<str:uscc>/grants/<id:pk>/change/", views.change, name="change"),
    path("<str:uscc>/grants/<id:pk>/revoke/", views.revoke, name="revoke"),
    path("<str:uscc>/requests/", views.pending, name="pending"),
    path("<str:uscc>/requests/<id:pk>/decide/", views.decide, name="decide"),
]
