import pytest

from toolkit.pii.validators import (
    card_valid,
    glued_to_identifier,
    iban_valid,
    ip_valid,
    phone_valid,
    plausible_email,
    ssn_valid,
    validate,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4111 1111 1111 1111", True),
        ("4111-1111-1111-1112", False),  # Luhn fails
        ("2221000000000009", True),  # 2-series Mastercard
        ("5555555555554444", True),
        ("378282246310005", True),  # Amex, 15 digits
        ("4006381333931", False),  # EAN-13 barcode starting with 4
        ("1700000000000", False),  # millisecond timestamp
        ("0000000000000000", False),
    ],
)
def test_card_needs_issuer_length_and_luhn(text, expected):
    assert card_valid(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DE89370400440532013000", True),
        ("GB82 WEST 1234 5698 7654 32", True),
        ("DE89370400440532013001", False),  # check digits fail
        ("SKU12345678901234", False),
    ],
)
def test_iban_needs_mod_97_check_digits(text, expected):
    assert iban_valid(text) is expected


@pytest.mark.parametrize(
    ("text", "has_context", "expected"),
    [
        ("219-09-9998", False, True),
        ("000-12-3456", False, False),
        ("666-12-3456", False, False),
        ("912-12-3456", False, False),
        ("123-00-4567", False, False),
        ("123-45-0000", False, False),
        ("123-45-6789", False, False),  # the advertised example number
        ("219099998", False, False),  # a bare run needs context
        ("219099998", True, True),
    ],
)
def test_ssn_follows_area_group_serial_rules(text, has_context, expected):
    assert ssn_valid(text, has_context) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("81.2.69.160", True),
        ("2001:db8:85a3::8a2e:370:7334", True),
        ("127.0.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("10:20:30", False),
    ],
)
def test_ip_must_parse_and_be_routable_looking(text, expected):
    assert ip_valid(text) is expected


@pytest.mark.parametrize(
    ("text", "has_context", "expected"),
    [
        ("(555) 201-7788", False, True),
        ("555.201.7788 x123", False, True),
        ("+44 20 7946 0958", False, True),
        ("1700000000", False, False),  # unix timestamp
        ("1700000000", True, True),
        ("2024-01-15", False, False),
        ("12:30:45", False, False),
    ],
)
def test_phone_shape_and_bare_digits_need_context(text, has_context, expected):
    assert phone_valid(text, has_context) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("jane.doe@example.com", True), ("logo@2x.png", False), ("a@b", False)],
)
def test_email_needs_a_letter_tld_that_is_not_a_file_suffix(text, expected):
    assert plausible_email(text) is expected


@pytest.mark.parametrize(
    ("cell", "match", "expected"),
    [
        ("ORD-2024-000123", "2024-000123", True),
        ("SKU-123-45-6789", "123-45-6789", True),
        ("v1.2.3.4", "1.2.3.4", True),
        ("1.2.3.4.5", "1.2.3.4", True),
        ("call 555-201-7788.", "555-201-7788", False),
        ("ip=81.2.69.160", "81.2.69.160", False),
    ],
)
def test_numeric_match_glued_to_an_identifier_is_recognised(cell, match, expected):
    start = cell.index(match)
    assert glued_to_identifier(cell, start, start + len(match)) is expected


def test_when_ssn_is_part_of_a_sku_then_validate_drops_it():
    cell = "AB-219-09-9998"
    assert validate("US_SSN", cell, 3, len(cell), 0.5) is None


def test_when_column_name_says_phone_then_bare_digits_count():
    cell = "2025550143"
    assert validate("PHONE_NUMBER", cell, 0, 10, 0.4, ["mobile"]) == 0.85
    assert validate("PHONE_NUMBER", cell, 0, 10, 0.4, ["created"]) is None


@pytest.mark.parametrize("column", ["contact_id", "phone_ts", "ssn_hash"])
def test_bare_digits_in_an_identifier_column_are_not_phones_or_ssns(column):
    words = column.split("_")

    assert validate("PHONE_NUMBER", "2025550143", 0, 10, 0.4, words) is None
    assert validate("US_SSN", "219099998", 0, 9, 0.05, words) is None


def test_isbn_is_not_a_phone_number():
    assert phone_valid("978-3-16-148410-0", has_context=False) is False
