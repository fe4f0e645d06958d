import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@given(st.emails())
def test_email_preview_never_holds_the_address(email):
    shown = preview("EMAIL_ADDRESS", email)

    assert email not in shown
    assert shown.startswith(email[:1] + "***@")


@given(
    st.sampled_from(["US_SSN", "CREDIT_CARD", "PHONE_NUMBER"]),
    st.from_regex(r"\A\+?[0-9][0-9 -]{7,22}[0-9]\Z"),
)
def test_number_preview_shows_at_most_the_last_four_digits(entity, number):
    shown_digits = "".join(c for c in preview(entity, number) if c.isdigit())
    digits = "".join(c for c in number if c.isdigit())

    assert shown_digits in {"", digits[-4:], digits[-2:]}


@given(st.from_regex(r"\A[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\Z"))
def test_iban_preview_shows_only_country_and_length(iban):
    assert preview("IBAN_CODE", iban) == f"{iban[:2]}** **** ({len(iban)} characters)"
