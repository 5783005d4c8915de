"""Models of the accounts app; other apps read them through selectors and services."""

from yiwang.accounts.models.business import PersonBusiness
from yiwang.accounts.models.enterprises import Enterprise, Grant, GrantScope
from yiwang.accounts.models.security import (
    AgreementAcceptance,
    LoginEvent,
    QrLogin,
    ServiceAgreement,
    SmsCode,
    Throttle,
)
from yiwang.accounts.models.staff import RoleAssignment, UnbanRequest
from yiwang.accounts.models.users import User

__all__ = [
    "AgreementAcceptance",
    "Enterprise",
    "Grant",
    "GrantScope",
    "LoginEvent",
    "PersonBusiness",
    "QrLogin",
    "RoleAssignment",
    "ServiceAgreement",
    "SmsCode",
    "Throttle",
    "UnbanRequest",
    "User",
]
