"""What a person was when they authorised a department system: themselves, or an enterprise.

A person who acts for an enterprise (法人办事, REQUIREMENTS §2) and signs in to a department
system through yiwang must arrive there as that enterprise's representative. The acting
enterprise lives in the portal session, which the token endpoint (called by the department
system's server, without the browser) cannot see; so it is read once, when the person approves
the authorization, and kept here with the authorization code, then with the access token it is
exchanged for. The ID token and the userinfo answer read it from here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from oauth2_provider.models import AccessToken, Grant

__all__ = ["AuthorizationContext"]


class AuthorizationContext(models.Model):
    """The acting enterprise (or none) of one authorization, kept with its code and token."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="用户"
    )
    enterprise = models.ForeignKey(
        "accounts.Enterprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代表的法人",
    )
    # The code is deleted when exchanged (single use): the context then hangs on the token.
    grant = models.OneToOneField(
        Grant, on_delete=models.SET_NULL, null=True, blank=True, related_name="yiwang_context"
    )
    access_token = models.OneToOneField(
        AccessToken,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="yiwang_context",
    )
    created_at = models.DateTimeField("授权时间", default=timezone.now)

    class Meta:
        verbose_name = "授权身份"
        verbose_name_plural = "授权身份"

    def __str__(self) -> str:
        return f"授权身份 {self.pk}"
