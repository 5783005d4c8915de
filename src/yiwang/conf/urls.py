from django.contrib import admin
from django.urls import include, path

from yiwang.api.root import api
from yiwang.backoffice import admin_site

admin.site.site_header = "一网 · 管理后台"
admin.site.site_title = "一网管理后台"
# Staff sign in once, through the back office (password + 动态口令): /admin/login/ leads there and
# the admin accepts only the sessions it verified.
admin_site.install(admin.site)

handler404 = "yiwang.portal.views.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # OpenID Connect provider: /.well-known/openid-configuration and /oauth/… (yiwang.identity)
    path("", include("yiwang.identity.urls")),
    path("backoffice/", include("yiwang.backoffice.urls")),
    path("", include("yiwang.portal.urls")),
]
