"""Who may call the person endpoints: a signed-in, active person (session; ninja's
``SessionAuth`` checks CSRF on writes)."""

from django.http import HttpRequest
from ninja.security import SessionAuth

from yiwang.accounts.constants import UserKind


class PersonSession(SessionAuth):
    """A signed-in, active person (not a staff account)."""

    def authenticate(self, request: HttpRequest, key):
        user = request.user
        if user.is_authenticated and user.is_active and user.kind == UserKind.PERSON:
            return user
        return None
