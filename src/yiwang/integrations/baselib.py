"""The database adapter of the real-name verifier: compares with the local base-library copies.

:class:`DatabaseVerifier` implements :class:`yiwang.accounts.verification.RealNameVerifier`
against :class:`~yiwang.integrations.models.PopulationRecord` (人口库) and
:class:`~yiwang.integrations.models.LegalEntityRecord` (法人库). Values are normalised the way a
counter clerk would read them (surrounding spaces, full-width characters, a lower-case ``x`` in
an ID number, spaces and hyphens inside card numbers) and compared in constant time, so that
response times do not tell how much of a card number was right.
"""

from __future__ import annotations

import hmac
import unicodedata

from yiwang.accounts.verification import PERSON_FACTORS, EnterpriseCheck, PersonCheck
from yiwang.core.fields import blind_index_for
from yiwang.integrations.models import LegalEntityRecord, PopulationRecord

__all__ = [
    "DatabaseVerifier",
    "normalise_card",
    "normalise_id",
    "normalise_name",
    "normalise_phone",
]


def _fold(value: str | None) -> str:
    # NFKC turns full-width digits and letters (common with Chinese input methods) into ASCII.
    return unicodedata.normalize("NFKC", value or "").strip()


def normalise_name(value: str | None) -> str:
    """A person's or organisation's name: NFKC, trimmed, inner spaces removed.

    Chinese names carry no spaces; a typed space between surname and given name is noise. The
    middle dot of minority names (·, also typed as •/．) is kept as ·.
    """
    folded = _fold(value)
    folded = folded.replace("•", "·").replace("．", "·").replace("・", "·")
    return "".join(folded.split())


def normalise_id(value: str | None) -> str:
    """An ID number or USCC: NFKC, no spaces, upper case (the check character ``x`` → ``X``)."""
    return "".join(_fold(value).split()).upper()


def normalise_card(value: str | None) -> str:
    """A card or account number: spaces and hyphens removed, upper case."""
    return "".join(_fold(value).replace("-", "").split()).upper()


def normalise_phone(value: str | None) -> str:
    """A mainland mobile number: digits only, a leading +86/0086 country code dropped."""
    digits = "".join(ch for ch in _fold(value) if ch.isdigit())
    for prefix in ("0086", "86"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
            return digits[len(prefix) :]
    return digits


_FACTOR_NORMALISERS = {
    "phone": normalise_phone,
    "social_security_card": normalise_card,
    "bank_card": normalise_card,
    "housing_fund_account": normalise_card,
    "driving_licence_file": normalise_card,
}


def _same(typed: str, stored: str) -> bool:
    """Constant-time equality of two normalised values; an empty stored value never matches."""
    return bool(stored) and hmac.compare_digest(typed.encode(), stored.encode())


class DatabaseVerifier:
    """Real-name checks against the imported base libraries (``REALNAME_VERIFIER=database``)."""

    def verify_person(self, *, name: str, id_number: str, factors: dict[str, str]) -> PersonCheck:
        unknown = set(factors) - set(PERSON_FACTORS)
        if unknown:
            raise ValueError(f"unknown real-name factors: {sorted(unknown)}")
        id_number = normalise_id(id_number)
        index = blind_index_for(id_number, "person_id")
        record = PopulationRecord.objects.filter(id_number_index=index).first() if index else None
        if record is None:
            return PersonCheck(matched=False)
        matched: set[str] = {"id_number"}
        all_match = True
        if _same(normalise_name(name), normalise_name(record.name)):
            matched.add("name")
        else:
            all_match = False
        for key, value in factors.items():
            normalise = _FACTOR_NORMALISERS[key]
            typed = normalise(value)
            if not typed:
                continue
            if _same(typed, normalise(getattr(record, key))):
                matched.add(key)
            else:
                all_match = False
        return PersonCheck(matched=all_match, matched_factors=frozenset(matched))

    def verify_enterprise(
        self,
        *,
        uscc: str,
        name: str,
        legal_representative_name: str,
        legal_representative_id_number: str,
    ) -> EnterpriseCheck:
        record = LegalEntityRecord.objects.filter(uscc=normalise_id(uscc)).first()
        if record is None:
            return EnterpriseCheck(matched=False)
        # Evaluate every comparison (no short-circuit) so the time taken does not reveal which
        # one failed.
        checks = [
            _same(normalise_name(name), normalise_name(record.name)),
            _same(
                normalise_name(legal_representative_name),
                normalise_name(record.legal_representative_name),
            ),
            _same(
                normalise_id(legal_representative_id_number),
                normalise_id(record.legal_representative_id_number),
            ),
        ]
        if not all(checks):
            return EnterpriseCheck(matched=False)
        return EnterpriseCheck(matched=True, status=record.status, entity_type=record.entity_type)
