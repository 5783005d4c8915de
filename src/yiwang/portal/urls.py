from django.urls import path

from yiwang.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("personal/", views.personal, name="personal"),
    path("enterprise/", views.enterprise, name="enterprise"),
    path("interaction/<slug:kind>/", views.interaction, name="interaction"),
    path("preferences/region/", views.set_region, name="set-region"),
    path("preferences/elder-mode/", views.set_elder_mode, name="set-elder-mode"),
]
