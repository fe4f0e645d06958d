"""Checks that decide whether a Presidio match is really PII.

Presidio's recognizers are tuned for prose. On pipeline data their regexes also
fire on order ids, timestamps, SKUs, versions and barcodes, so every match passes
through :func:`validate`, which

1. rejects a numeric match glued to a larger identifier (``ORD-2024-000123``,
   ``SKU-123-45-6789``, ``v1.2.3.4``);
2. applies the entity's own rule: Luhn and issuer lengths for cards, ISO 13616
   check digits for IBANs, area/group/serial rules for SSNs, parsing for IP
   addresses, a digit count and separator shape for phone numbers;
3. returns the score to keep, or ``None`` to drop the match.

Context words (a column name's parts, or the words just before a match in text)
let a bare digit run count as a phone number or SSN (unless a word such as
``id`` or ``ts`` says it is an identifier or a time), and a single word count as a
person's name; without them they do not. In prose (text files, notebook cells) a
PERSON must also read like a name and a LOCATION must sit next to an address
word ("lives in", "street"): a place named in passing is not personal data.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Collection

PHONE_CONTEXT = {
    "phone", "tel", "telephone", "mobile", "cell", "fax", "call", "sms", "reach",
    "dial", "contact", "whatsapp",
}  # fmt: skip
# Column-name words saying a bare digit run is an identifier or a time, whatever
# else the name says ("contact_id", "phone_ts").
IDENTIFIER_CONTEXT = {
    "id", "ids", "uuid", "key", "hash", "code", "sku", "ref", "order", "invoice",
    "ts", "timestamp", "epoch", "time", "date", "version", "build", "seq",
}  # fmt: skip
NAME_CONTEXT = {
    "name", "names", "customer", "person", "contact", "user", "author", "mr", "mrs",
    "ms", "dr", "dear", "hi", "hello", "signed", "regards", "patient", "employee",
}  # fmt: skip
ADDRESS_CONTEXT = {
    "address", "lives", "live", "living", "resides", "street", "avenue", "road",
    "born", "home", "postcode", "zip", "moved", "located", "city", "town",
}  # fmt: skip
_NAME_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES")
SSN_CONTEXT = {"ssn", "social", "security", "taxpayer", "tin"}
CARD_CONTEXT = {"card", "credit", "cc", "pan", "visa", "mastercard", "amex"}

_NUMERIC_ENTITIES = {"PHONE_NUMBER", "US_SSN", "CREDIT_CARD", "IP_ADDRESS", "IBAN_CODE"}
_GLUE = "-_#"
_EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.([A-Za-z]{2,24})$")
_FILE_SUFFIXES = {"png", "jpg", "jpeg", "gif", "svg", "webp", "py", "js", "css"}
_DATE_LIKE = re.compile(
    r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})$"
)
_AMOUNT_LIKE = re.compile(r"^[-+$€£]?[\d,]*\.\d{1,4}$")
_LOCAL_PHONE = re.compile(r"^\d{3}[-. ]\d{4}$")
_SSN_SHAPE = re.compile(r"^(\d{3})[- ](\d{2})[- ](\d{4})$")
_SSN_ADVERTISED = {"078051120", "219099999", "123456789"}
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$")
_EXTENSION = re.compile(r"\s?(?:x|ext\.?|extension|#)\s?\d{1,6}$", re.IGNORECASE)


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn checksum."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def card_valid(text: str) -> bool:
    """A card number: issuer prefix, the issuer's length, and Luhn."""
    digits = re.sub(r"[ -]", "", text)
    if not digits.isdigit() or len(set(digits)) == 1:
        return False

    length = len(digits)
    prefix2, prefix4 = int(digits[:2]), int(digits[:4])
    issuer_lengths = (
        (digits[0] == "4", {16, 19}),
        (51 <= prefix2 <= 55 or 2221 <= prefix4 <= 2720, {16}),
        (prefix2 in {34, 37}, {15}),
        (digits.startswith(("6011", "65")) or 644 <= int(digits[:3]) <= 649, {16, 19}),
        (prefix2 == 35, {16, 19}),  # JCB (3528-3589, and test numbers beyond)
        (prefix2 in {36, 38} or 300 <= int(digits[:3]) <= 305, {14}),
    )
    if not any(matches and length in lengths for matches, lengths in issuer_lengths):
        return False
    return luhn_valid(digits)


def iban_valid(text: str) -> bool:
    """An IBAN: country letters, check digits and the ISO 7064 mod-97 rule."""
    compact = re.sub(r"\s", "", text).upper()
    if not _IBAN_SHAPE.match(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def ssn_valid(text: str, has_context: bool) -> bool:
    """A US SSN: area not 000, 666 or 9xx; group not 00; serial not 0000."""
    shaped = _SSN_SHAPE.match(text)
    if shaped:
        area, group, serial = shaped.groups()
    elif has_context and re.fullmatch(r"\d{9}", text):
        area, group, serial = text[:3], text[3:5], text[5:]
    else:
        return False
    if area in {"000", "666"} or area.startswith("9"):
        return False
    if group == "00" or serial == "0000":
        return False
    return area + group + serial not in _SSN_ADVERTISED


def ip_valid(text: str) -> bool:
    """A routable-looking IPv4 or IPv6 address (not loopback, unspecified, etc.)."""
    address_text = text.split("/")[0].split("%")[0]
    if ":" in address_text and address_text.count(":") < 3 and "::" not in text:
        return False
    try:
        address = ipaddress.ip_address(address_text)
    except ValueError:
        return False
    if address.is_loopback or address.is_unspecified or address.is_multicast:
        return False
    if address.version == 6:
        return True
    return not (
        address_text.startswith("0") or address.is_reserved or address.is_link_local
    )


def plausible_email(text: str) -> bool:
    """An email address whose top-level domain is letters and not a file suffix."""
    shaped = _EMAIL.match(text)
    if not shaped:
        return False
    return shaped.group(1).lower() not in _FILE_SUFFIXES


def phone_valid(text: str, has_context: bool) -> bool:
    """A phone number: 7 to 15 digits; a bare digit run needs context words."""
    number = _EXTENSION.sub("", text.strip())
    digits = re.sub(r"\D", "", number)
    if not 7 <= len(digits) <= 15:
        return False
    if _DATE_LIKE.match(number) or ":" in number or _AMOUNT_LIKE.match(number):
        return False
    if len(digits) == 13 and digits.startswith(("978", "979")):
        return False  # ISBN-13
    if len(digits) < 10 and not (has_context or _LOCAL_PHONE.match(number)):
        return False

    formatted = number.startswith("+") or bool(re.search(r"[\s().-]", number))
    if not formatted:
        return has_context
    groups = re.split(r"[\s().-]+", number.lstrip("+"))
    if all(len(group) <= 2 for group in groups if group):
        return False
    return True


def is_title_word(word: str) -> bool:
    """``Zoë``, ``Łukasz``, ``Smith-Jones``: a capital, then lowercase letters."""
    rest = word[1:].replace("'", "").replace("’", "").replace("-", "")
    return word[:1].isupper() and rest.isalpha() and rest.islower()


@functools.cache
def first_names() -> frozenset[str]:
    """First names from Faker's person providers, for confirming names in prose."""
    import importlib

    names: set[str] = set()
    for locale in _NAME_LOCALES:
        module = importlib.import_module(f"faker.providers.person.{locale}")
        names.update(str(name) for name in module.Provider.first_names)
    return frozenset(names)


def person_in_prose(text: str, context: Collection[str]) -> bool:
    """Whether an NER PERSON span in free text looks like a person's name.

    spaCy's small model tags Title Case phrases in technical prose ("Acyclic
    Graphs", "Kubeflow Pipelines") as people. In prose a name must be two to four
    Title Case words, and either follow a word such as "Mr" or "dear", or start
    with a known first name.
    """
    words = text.split()
    if not 2 <= len(words) <= 4 or not all(is_title_word(w) for w in words):
        return False
    return has_any(context, NAME_CONTEXT) or words[0] in first_names()


def glued_to_identifier(cell: str, start: int, end: int) -> bool:
    """Whether ``cell[start:end]`` continues a larger code like ``ORD-2024-000123``."""
    before = cell[max(0, start - 2) : start]
    after = cell[end : end + 2]
    if before[-1:].isalnum() or after[:1].isalnum():
        return True
    if before[-1:] in _GLUE + "/." and before[:1].isalnum() and len(before) == 2:
        return True
    if after[:1] in _GLUE and after[1:2].isalnum():
        return True
    if after[:1] == "." and after[1:2].isdigit():
        return True
    return False


def has_any(words: Collection[str], vocabulary: set[str]) -> bool:
    """Whether any of ``words`` (lowercase) is in ``vocabulary``."""
    return any(word in vocabulary for word in words)


def validate(
    entity: str,
    cell: str,
    start: int,
    end: int,
    score: float,
    context: Collection[str] = (),
    free_text: bool = False,
) -> float | None:
    """Return the score to keep for a match, or ``None`` if it is not PII.

    Args:
        entity: The Presidio entity type.
        cell: The whole value (or line) the match came from.
        start: Where the match starts in ``cell``.
        end: Where it ends.
        score: Presidio's score.
        context: Lowercase context words: column name parts or nearby words.
        free_text: Whether ``cell`` is a line of prose rather than a table value;
            PERSON and LOCATION need stronger evidence there.
    """
    text = cell[start:end]
    if entity in _NUMERIC_ENTITIES and glued_to_identifier(cell, start, end):
        return None
    identifier_context = has_any(context, IDENTIFIER_CONTEXT)

    if entity == "EMAIL_ADDRESS":
        return 1.0 if plausible_email(text) else None
    if entity == "CREDIT_CARD":
        return 1.0 if card_valid(text) else None
    if entity == "IBAN_CODE":
        return 1.0 if iban_valid(text) else None
    if entity == "IP_ADDRESS":
        return max(score, 0.8) if ip_valid(text) else None
    if entity == "US_SSN":
        has_context = has_any(context, SSN_CONTEXT) and not identifier_context
        if not ssn_valid(text, has_context):
            return None
        return 0.85 if has_context else 0.6
    if entity == "PHONE_NUMBER":
        has_context = has_any(context, PHONE_CONTEXT) and not identifier_context
        if not phone_valid(text, has_context):
            return None
        return 0.85 if has_context else max(score, 0.6)
    if entity in {"PERSON", "LOCATION"}:
        if len(text.strip()) < 3 or any(c.isdigit() or c in "<>_@=" for c in text):
            return None
        if free_text and entity == "PERSON" and not person_in_prose(text, context):
            return None
        if free_text and entity == "LOCATION" and not has_any(context, ADDRESS_CONTEXT):
            return None
        single_word = len(text.split()) < 2
        if entity == "PERSON" and single_word and not has_any(context, NAME_CONTEXT):
            return None
        return score
    return score
