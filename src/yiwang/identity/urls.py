"""URLs of the OpenID Connect provider, mounted at the site root by ``yiwang.conf.urls``.

Discovery sits at ``/.well-known/openid-configuration`` so the issuer is the site itself
(OpenID Connect Discovery §4: issuer + ``/.well-known/openid-configuration``); the endpoints
live under ``/oauth/``. Only what the authorization code flow needs is exposed (no device
flow, no dynamic client registration: department systems are registered by administrators).
"""

from django.urls import path, re_path
from oauth2_provider import views as dot

from yiwang.identity.views import AuthorizationView

app_name = "oauth2_provider"  # DOT reverses its endpoints in this namespace

urlpatterns = [
    re_path(
        r"^\.well-known/openid-configuration$",
        dot.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path("oauth/authorize/", AuthorizationView.as_view(), name="authorize"),
    path("oauth/token/", dot.TokenView.as_view(), name="token"),
    path("oauth/revoke_token/", dot.RevokeTokenView.as_view(), name="revoke-token"),
    path("oauth/introspect/", dot.IntrospectTokenView.as_view(), name="introspect"),
    path("oauth/jwks.json", dot.JwksInfoView.as_view(), name="jwks-info"),
    path("oauth/userinfo/", dot.UserInfoView.as_view(), name="user-info"),
    path("oauth/logout/", dot.RPInitiatedLogoutView.as_view(), name="rp-initiated-logout"),
]
