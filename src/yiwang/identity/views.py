"""The authorize step of the OIDC provider: django-oauth-toolkit's view with our consent page.

The view is DOT's (login required → ``settings.LOGIN_URL``, the portal sign-in; PKCE and redirect
URI checked by oauthlib); this subclass adds the acting enterprise from the session to the
authorization and writes the audit event ``identity.authorize`` for each approval or refusal.
"""

from __future__ import annotations

from oauth2_provider.views import AuthorizationView as DotAuthorizationView
from oauthlib.oauth2.rfc6749 import errors

from yiwang.accounts.services import acting_enterprise
from yiwang.core.http import client_ip
from yiwang.identity import services
from yiwang.identity.validators import ACTING_CREDENTIAL

# What the consent page tells the person about each error oauthlib may report.
ERROR_TEXT = {
    "invalid_request": "请求缺少必要的参数或参数不正确",
    "invalid_client": "该系统未在本平台登记，或已停用",
    "invalid_scope": "该系统请求了本平台不提供的信息",
    "unauthorized_client": "该系统不允许使用此种登录方式",
    "unsupported_response_type": "该系统使用了本平台不支持的登录方式",
    "access_denied": "您已拒绝授权",
}


def _error_text(error) -> str:
    # oauthlib reports an unknown client or a wrong redirect URI as "invalid_request" too:
    # the person needs to know it is the department system that is not set up right.
    if isinstance(error, errors.InvalidClientIdError | errors.MissingClientIdError):
        return ERROR_TEXT["invalid_client"]
    if isinstance(
        error,
        errors.MismatchingRedirectURIError
        | errors.InvalidRedirectURIError
        | errors.MissingRedirectURIError,
    ):
        return "该系统的回调地址与其在本平台登记的不一致"
    return ERROR_TEXT.get(error.error, "授权请求无效")


class AuthorizationView(DotAuthorizationView):
    template_name = "identity/authorize.html"

    def create_authorization_response(self, request, scopes, credentials, allow):
        enterprise = acting_enterprise(request.session, request.user)
        if enterprise is not None:
            credentials[ACTING_CREDENTIAL] = enterprise.pk
        try:
            result = super().create_authorization_response(request, scopes, credentials, allow)
        finally:
            services.record_authorization(
                request.user,
                client_id=credentials.get("client_id", ""),
                scopes=scopes,
                enterprise=enterprise,
                allowed=bool(allow),
                ip=client_ip(request),
            )
        return result

    def render_to_response(self, context, **response_kwargs):
        # django-oauth-toolkit renders a refused request (unknown client, bad redirect URI)
        # straight from error_response(), without get_context_data(): the reason is added here.
        error = context.get("error")
        if error is not None:
            context = {**context, "error_text": _error_text(error)}
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("error") is not None:
            return context
        user = self.request.user
        context["enterprise"] = acting_enterprise(self.request.session, user)
        context["released"] = services.released_claims(
            user, context["enterprise"], context.get("scopes", [])
        )
        return context
