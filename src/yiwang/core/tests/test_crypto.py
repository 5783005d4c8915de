"""Personal data at rest: AES-GCM round trips, purposes, rotation, blind indexes."""

import base64

import pytest

from yiwang.core import crypto

KEY_A = "a1:" + base64.b64encode(b"A" * 32).decode()
KEY_B = "b2:" + base64.b64encode(b"B" * 32).decode()


@pytest.fixture
def keys(settings):
    settings.DATA_KEYS = KEY_A
    return settings


def test_round_trip_and_randomised(keys):
    first = crypto.encrypt("11010519491231002X", "person_id")
    second = crypto.encrypt("11010519491231002X", "person_id")
    assert first != second  # equal values do not look equal in the database
    assert first.startswith("a1$")
    assert crypto.decrypt(first, "person_id") == "11010519491231002X"
    assert crypto.decrypt(second, "person_id") == "11010519491231002X"


def test_a_value_moved_to_another_purpose_does_not_decrypt(keys):
    token = crypto.encrypt("13800138000", "phone")
    with pytest.raises(crypto.CryptoError, match="密文被篡改或用途不符"):
        crypto.decrypt(token, "person_id")


def test_a_tampered_value_does_not_decrypt(keys):
    token = crypto.encrypt("13800138000", "phone")
    key_id, _, payload = token.partition("$")
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(f"{key_id}${base64.b64encode(bytes(raw)).decode()}", "phone")


def test_rotation_new_key_first_old_still_decrypts(settings):
    settings.DATA_KEYS = KEY_A
    old = crypto.encrypt("secret", "phone")
    settings.DATA_KEYS = f"{KEY_B},{KEY_A}"
    assert crypto.current_key_id() == "b2"
    assert crypto.needs_rotation(old) is True
    assert crypto.decrypt(old, "phone") == "secret"
    new = crypto.encrypt("secret", "phone")
    assert new.startswith("b2$")
    assert crypto.needs_rotation(new) is False
    settings.DATA_KEYS = KEY_B  # the old key dropped: old values are lost, new ones are not
    with pytest.raises(crypto.CryptoError, match="未知的密钥 'a1'"):
        crypto.decrypt(old, "phone")
    assert crypto.decrypt(new, "phone") == "secret"


def test_bad_key_configuration_is_named(settings):
    settings.DATA_KEYS = "k1:" + base64.b64encode(b"short").decode()
    with pytest.raises(crypto.CryptoError, match="密钥 k1 应为 32 字节"):
        crypto.encrypt("x", "phone")


def test_blind_index_normalises_and_separates_purposes(settings):
    settings.INDEX_KEY = base64.b64encode(b"I" * 32).decode()
    assert crypto.blind_index("11010519491231002x ", "person_id") == crypto.blind_index(
        "11010519491231002X", "person_id"
    )
    assert crypto.blind_index("13800138000", "phone") != crypto.blind_index(
        "13800138000", "person_id"
    )
    under_i = crypto.blind_index("13800138000", "phone")
    settings.INDEX_KEY = base64.b64encode(b"J" * 32).decode()
    # without the key nobody can recompute the index of a guessed value
    assert crypto.blind_index("13800138000", "phone") != under_i
