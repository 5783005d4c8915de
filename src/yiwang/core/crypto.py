"""Personal data at rest: AES-256-GCM encryption with key rotation, and HMAC lookup indexes.

ID numbers, phone numbers, bank and social-security card numbers are stored encrypted
(DESIGN §3.8; 《个人信息保护法》第五十一条 requires "加密、去标识化等安全技术措施" for personal
information, 《网络安全法》第二十一条 the same for network operators). Encryption is randomised,
so equal values do not look equal in the database; to find a person by ID number the platform
keeps a keyed HMAC of the normalised value beside the ciphertext (:func:`blind_index`).

Stored form: ``<key id>$<base64(nonce ‖ ciphertext ‖ tag)>``. The key id says which key of
``YIWANG_DATA_KEYS`` decrypts it, so keys can be rotated: put a new key first, run
``yiwang crypto rotate`` (re-encrypts every value with the first key), then drop the old key.
The associated data binds a ciphertext to its purpose (``"person_id"``, ``"phone"``): a value
copied from one column into another does not decrypt.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

__all__ = [
    "CryptoError",
    "blind_index",
    "current_key_id",
    "decrypt",
    "encrypt",
    "needs_rotation",
]

_NONCE_BYTES = 12  # NIST SP 800-38D: 96-bit nonces, random per message


class CryptoError(Exception):
    """A value cannot be decrypted: unknown key id, wrong purpose or tampered ciphertext."""


@functools.cache
def _keys(raw: str) -> tuple[str, dict[str, AESGCM]]:
    keys: dict[str, AESGCM] = {}
    first = ""
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        key_id, sep, encoded = part.partition(":")
        if not sep or not key_id or "$" in key_id:
            raise CryptoError(f"YIWANG_DATA_KEYS 格式错误：{key_id!r} 应为 id:base64")
        key = base64.b64decode(encoded)
        if len(key) != 32:
            raise CryptoError(f"YIWANG_DATA_KEYS 中的密钥 {key_id} 应为 32 字节")
        keys[key_id] = AESGCM(key)
        first = first or key_id
    if not keys:
        raise CryptoError("YIWANG_DATA_KEYS 为空")
    return first, keys


def _keyring() -> tuple[str, dict[str, AESGCM]]:
    return _keys(settings.DATA_KEYS)


def current_key_id() -> str:
    return _keyring()[0]


def encrypt(value: str, purpose: str) -> str:
    """Encrypt ``value`` with the current key, bound to ``purpose``."""
    key_id, keys = _keyring()
    nonce = os.urandom(_NONCE_BYTES)
    sealed = keys[key_id].encrypt(nonce, value.encode(), purpose.encode())
    return f"{key_id}${base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, purpose: str) -> str:
    key_id, sep, payload = token.partition("$")
    keys = _keyring()[1]
    if not sep or key_id not in keys:
        raise CryptoError(f"无法解密：未知的密钥 {key_id!r}")
    raw = base64.b64decode(payload)
    try:
        plain = keys[key_id].decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], purpose.encode())
    except Exception as exc:  # cryptography raises InvalidTag without a message
        raise CryptoError("无法解密：密文被篡改或用途不符") from exc
    return plain.decode()


def needs_rotation(token: str) -> bool:
    """Whether ``token`` was encrypted with a key other than the current one."""
    return token.partition("$")[0] != current_key_id()


def blind_index(value: str, purpose: str) -> str:
    """Keyed HMAC-SHA256 of the normalised value: equal values give equal indexes, and without
    the index key nobody can test guesses (an ID number has few enough values to enumerate, so
    a plain hash would not protect it)."""
    key = base64.b64decode(settings.INDEX_KEY)
    message = f"{purpose}\x00{value.strip().upper()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
