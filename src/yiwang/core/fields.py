"""Model fields for personal data: encrypted at rest, found through a blind index."""

from __future__ import annotations

from django.db import models

from yiwang.core import crypto

__all__ = ["EncryptedTextField", "blind_index_for"]


class EncryptedTextField(models.TextField):
    """Holds plaintext in Python and AES-GCM ciphertext in the database (:mod:`yiwang.core.crypto`).

    The ciphertext is randomised, so the column cannot be searched: equality lookups go through
    a separate blind-index column (:func:`blind_index_for`). Saving an object re-encrypts with the
    current key, which is how ``yiwang crypto rotate`` moves values to a new key.
    """

    def __init__(self, *args, purpose: str, **kwargs):
        self.purpose = purpose
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        return crypto.decrypt(value, self.purpose)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.encrypt(value, self.purpose)


def blind_index_for(value: str, purpose: str) -> str | None:
    """The lookup index stored beside an encrypted value; ``None`` (not "") for no value, so a
    unique index on the column allows any number of empty ones."""
    return crypto.blind_index(value, purpose) if value else None
