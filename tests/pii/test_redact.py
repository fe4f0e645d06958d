import pytest

from toolkit.pii.redact import fingerprint, preview

RAW = [
    ("EMAIL_ADDRESS", "jane.doe@example.com", "j***@e***.com"),
    ("US_SSN", "219-09-9998", "***-**-9998"),
    ("CREDIT_CARD", "4111 1111 1111 1111", "**** **** **** 1111"),
    ("PHONE_NUMBER", "(555) 201-7788", "***-***-**88"),
    ("IBAN_CODE", "DE89370400440532013000", "DE** **** (22 characters)"),
    ("IP_ADDRESS", "81.2.69.160", "IPv4 ***.***.***.***"),
    ("PERSON", "Jane Doe", "J. D."),
]


@pytest.mark.parametrize(("entity", "value", "expected"), RAW)
def test_preview_shows_shape_not_value(entity, value, expected):
    shown = preview(entity, value)

    assert shown == expected
    assert value not in shown


def test_fingerprint_is_keyed_and_stable():
    assert fingerprint("a@b.com", b"k1") == fingerprint(" a@b.com ", b"k1")
    assert fingerprint("a@b.com", b"k1") != fingerprint("a@b.com", b"k2")
    assert "a@b.com" not in fingerprint("a@b.com", b"k1")
