"""Encryption at rest and the blind index (hemkommun.core.crypto), without a database."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from hemkommun.core import crypto

KEY_A = crypto.generate_key()
KEY_B = crypto.generate_key()


def test_a_value_round_trips_and_the_ciphertext_hides_it(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    stored = crypto.encrypt("Diabetes typ 2", context="casework.assessment.health_notes")
    assert "Diabetes" not in stored
    assert stored.startswith(f"v1${crypto.key_id(crypto._decode_key(KEY_A, 'x'))}$")
    assert crypto.decrypt(stored, context="casework.assessment.health_notes") == "Diabetes typ 2"


def test_equal_values_encrypt_differently():
    context = "clients.client.identity_code"
    assert crypto.encrypt("131052-308T", context=context) != crypto.encrypt("131052-308T", context=context)


def test_the_first_key_encrypts_and_every_listed_key_decrypts(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    under_a = crypto.encrypt("x", context="c")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    under_b = crypto.encrypt("y", context="c")
    assert crypto.stored_key_id(under_b) == crypto.current_key_id() != crypto.stored_key_id(under_a)
    assert (crypto.decrypt(under_a, context="c"), crypto.decrypt(under_b, context="c")) == ("x", "y")


def test_a_value_under_an_unknown_key_is_a_clear_error_not_garbage(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    stored = crypto.encrypt("x", context="c")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(crypto.DecryptionError, match="does not list"):
        crypto.decrypt(stored, context="c")


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s[:-4] + ("AAAA" if not s.endswith("AAAA") else "BBBB"),  # tampered tag
        lambda s: s.replace("v1$", "v9$"),  # unknown format
        lambda s: "131052-308T",  # a clear value where a ciphertext belongs
        lambda s: s[:-1] + "!",  # not base64
    ],
)
def test_a_damaged_value_is_refused(damage):
    stored = crypto.encrypt("secret", context="c")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(damage(stored), context="c")


def test_a_ciphertext_moved_to_another_field_does_not_decrypt():
    stored = crypto.encrypt("secret", context="casework.assessment.health_notes")
    with pytest.raises(crypto.DecryptionError, match="belongs elsewhere"):
        crypto.decrypt(stored, context="casework.plangoal.description")


@pytest.mark.parametrize("keys", [[], ["c2hvcnQ="], ["not base64 at all!"], [KEY_A, KEY_A]])
def test_bad_keys_are_a_configuration_error(settings, keys):
    settings.FIELD_ENCRYPTION_KEYS = keys
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        crypto.encrypt("x", context="c")


def test_the_blind_index_is_keyed_and_deterministic(settings):
    settings.BLIND_INDEX_KEY = KEY_A
    first = crypto.blind_index("131052-308T")
    assert first == crypto.blind_index("131052-308T") != crypto.blind_index("131052-308U")
    assert "131052" not in first and crypto.blind_index("") == ""
    settings.BLIND_INDEX_KEY = KEY_B
    assert crypto.blind_index("131052-308T") != first
    assert crypto.blind_index("131052-308T").split(":")[0] == crypto.blind_index_key_id()


def test_the_system_check_names_a_bad_key(settings):
    assert crypto.check_keys() == []
    settings.BLIND_INDEX_KEY = "too-short"
    settings.FIELD_ENCRYPTION_KEYS = []
    assert [error.id for error in crypto.check_keys()] == [
        "hemkommun.E_FIELD_ENCRYPTION_KEYS",
        "hemkommun.E_BLIND_INDEX_KEY",
    ]


@given(st.text(max_size=300))
def test_any_text_round_trips(text):
    assert crypto.decrypt(crypto.encrypt(text, context="c"), context="c") == text
