"""Real-name verification (实名核验): the interface registration calls, and the adapter choice.

Online registration of a natural person needs at least three factors, the ID number mandatory,
compared with the population base library (人口库); enterprise registration compares the USCC,
name and legal representative with the legal-entity library (法人库) (seed 001 ch. 5 §(一)2;
REQUIREMENTS §2 "Accounts").

The libraries belong to other departments, so the comparison sits behind
:class:`RealNameVerifier` (DESIGN §3.6: external systems behind an interface). The adapter is
chosen by the ``REALNAME_VERIFIER`` setting; ``"database"`` compares with the local copies in
:mod:`yiwang.integrations.models`, filled by ``yiwang baselib import`` and by the demo.

Callers must never show *which* factor failed: that would let someone test an ID number's
phone or bank card one factor at a time. ``PersonCheck.matched_factors`` exists for the audit
trail and for counting, not for messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

__all__ = [
    "PERSON_FACTORS",
    "VERIFIERS",
    "EnterpriseCheck",
    "PersonCheck",
    "RealNameVerifier",
    "get_verifier",
]

# The factors that may accompany the ID number (seed 001 ch. 5 §(一)2 "身份证号码为必填项，
# 另选手机号码、社保卡号、银行卡号、公积金账号、驾驶证档案编号中的两项").
PERSON_FACTORS: tuple[str, ...] = (
    "phone",
    "social_security_card",
    "bank_card",
    "housing_fund_account",
    "driving_licence_file",
)

# REALNAME_VERIFIER value → adapter class (dotted path, imported on first use so that this
# module does not import the integrations app at import time).
VERIFIERS: dict[str, str] = {
    "database": "yiwang.integrations.baselib.DatabaseVerifier",
}


@dataclass(frozen=True)
class PersonCheck:
    """The outcome of comparing a person with the population library.

    ``matched`` is true only when the person exists, the name matches and *every* factor given
    matches. ``matched_factors`` lists the factors that matched (ID number and name count as
    ``"id_number"`` and ``"name"``); never show it to the user.
    """

    matched: bool
    matched_factors: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class EnterpriseCheck:
    """The outcome of comparing an enterprise with the legal-entity library.

    ``matched`` is true when the USCC exists and name, legal representative's name and ID number
    all match. ``status`` is the registration status (``"active"`` 存续, ``"revoked"`` 吊销,
    ``"cancelled"`` 注销, see ``LegalEntityRecord.Status``) when the USCC was found *and* matched,
    else ``""``: a revoked or cancelled enterprise matches but must not be registered.
    """

    matched: bool
    status: str = ""
    entity_type: str = ""

    @property
    def is_active(self) -> bool:
        return self.matched and self.status == "active"


@runtime_checkable
class RealNameVerifier(Protocol):
    """Compares what a registrant typed with the base libraries."""

    def verify_person(self, *, name: str, id_number: str, factors: dict[str, str]) -> PersonCheck:
        """Compare a person: ``factors`` maps keys of :data:`PERSON_FACTORS` to typed values.

        Empty factor values are ignored; unknown keys raise ``ValueError`` (a programming error).
        The caller enforces "ID number + at least two factors" (count the non-empty values it
        passes); with no factors only the name and ID number are compared (window registration,
        where the clerk has seen the ID card).
        """
        ...

    def verify_enterprise(
        self,
        *,
        uscc: str,
        name: str,
        legal_representative_name: str,
        legal_representative_id_number: str,
    ) -> EnterpriseCheck:
        """Compare an enterprise and its legal representative with the legal-entity library."""
        ...


def get_verifier(name: str | None = None) -> RealNameVerifier:
    """The adapter named by ``settings.REALNAME_VERIFIER`` (or ``name``)."""
    key = name or getattr(settings, "REALNAME_VERIFIER", "database")
    try:
        path = VERIFIERS[key]
    except KeyError:
        raise ValueError(
            f"REALNAME_VERIFIER must be one of {sorted(VERIFIERS)}, got {key!r}"
        ) from None
    return import_string(path)()
