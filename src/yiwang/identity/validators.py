"""The claims yiwang gives department systems, and where the acting enterprise is carried.

Claims (scope ``openid``: ``sub``; scope ``profile``: the rest):

* ``sub`` — ``User.uid``, a UUID that never changes and reveals nothing (not the row id);
* ``name`` — the real name (the department system serves this person by name);
* ``id_number_masked`` — the ID number masked as everywhere else (DESIGN §3.8): a department
  system that needs the full number gets it through data sharing, with its own audit;
* ``user_type`` — ``person``, or ``enterprise`` when the person acts for one;
* ``acting_enterprise`` and ``acting_enterprise_uscc`` — only when acting for an enterprise.

django-oauth-toolkit's hooks are used as documented: ``get_additional_claims`` (request-agnostic
form, so discovery lists the claims), ``save_authorization_code`` / ``validate_code`` /
``_create_access_token`` to carry the :class:`~yiwang.identity.models.AuthorizationContext`
from the code to the token.
"""

from __future__ import annotations

from typing import ClassVar

from oauth2_provider.oauth2_validators import OAuth2Validator

from yiwang.core.masking import mask_person_id
from yiwang.identity.models import AuthorizationContext

__all__ = ["ACTING_CREDENTIAL", "YiwangOAuth2Validator"]

# The key under which the authorize view passes the acting enterprise's id to the validator
# (oauthlib copies every credential onto its request object).
ACTING_CREDENTIAL = "yiwang_acting_enterprise_id"

_CONTEXT = "yiwang_context"


def _context(request) -> AuthorizationContext | None:
    context = getattr(request, _CONTEXT, None)
    if context is None and getattr(request, "access_token", None) is not None:
        # userinfo: the bearer token was validated and loaded by django-oauth-toolkit.
        context = (
            AuthorizationContext.objects.select_related("enterprise")
            .filter(access_token=request.access_token)
            .first()
        )
        setattr(request, _CONTEXT, context)
    return context


def _enterprise(request):
    context = _context(request)
    return context.enterprise if context is not None else None


class YiwangOAuth2Validator(OAuth2Validator):
    oidc_claim_scope: ClassVar[dict[str, str]] = {
        "sub": "openid",
        "name": "profile",
        "id_number_masked": "profile",
        "user_type": "profile",
        "acting_enterprise": "profile",
        "acting_enterprise_uscc": "profile",
    }

    def get_additional_claims(self):
        def acting(attribute):
            def claim(request):
                enterprise = _enterprise(request)
                return getattr(enterprise, attribute) if enterprise is not None else None

            return claim

        return {
            "sub": lambda request: str(request.user.uid),
            "name": lambda request: request.user.name or request.user.username,
            "id_number_masked": lambda request: mask_person_id(request.user.id_number) or None,
            "user_type": lambda request: "enterprise" if _enterprise(request) else "person",
            "acting_enterprise": acting("name"),
            "acting_enterprise_uscc": acting("uscc"),
        }

    def get_oidc_claims(self, token, token_handler, request):
        # OpenID Connect Core §5.3.2: a claim without a value is omitted, not sent as null.
        claims = super().get_oidc_claims(token, token_handler, request)
        return {key: value for key, value in claims.items() if value is not None}

    def save_authorization_code(self, client_id, code, request, *args, **kwargs):
        grant = self._create_authorization_code(request, code)
        AuthorizationContext.objects.create(
            user=request.user,
            enterprise_id=getattr(request, ACTING_CREDENTIAL, None),
            grant=grant,
        )

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        if valid:
            context = (
                AuthorizationContext.objects.select_related("enterprise")
                .filter(grant__code=code, grant__application=client)
                .first()
            )
            setattr(request, _CONTEXT, context)
        return valid

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        access_token = super()._create_access_token(
            expires, request, token, source_refresh_token=source_refresh_token
        )
        context = getattr(request, _CONTEXT, None)
        if context is None and source_refresh_token is not None:
            # A refreshed token speaks for whom the original one did.
            context = AuthorizationContext.objects.filter(
                access_token_id=source_refresh_token.access_token_id
            ).first()
            if context is not None:
                context = AuthorizationContext.objects.create(
                    user=context.user, enterprise=context.enterprise
                )
        if context is not None:
            context.access_token = access_token
            context.save(update_fields=["access_token"])
            setattr(request, _CONTEXT, context)
        return access_token
