"""Previews that show a finding's shape without its value, and keyed fingerprints.

A preview keeps only what a reader needs to recognise the kind of value:
``j***@e***.com`` for an email, ``***-**-1234`` for an SSN, the last four digits
of a card or phone number, the country of an IBAN, the version of an IP address,
initials of a name. A fingerprint is an HMAC of the value under a user key, so the
same value can be recognised across files without being shown.
"""

from __future__ import annotations

import hashlib
import hmac
import re

# Where the pseudonym and fingerprint key is read from when no --key is given.
KEY_VARIABLE = "TOOLKIT_PII_KEY"


def _mask_word(word: str) -> str:
    return f"{word[:1]}***" if word else "***"


def _last_digits(text: str, keep: int = 4) -> str:
    digits = re.sub(r"\D", "", text)
    return digits[-keep:] if len(digits) > keep + 4 else ""


def preview(entity: str, value: str) -> str:
    """Return a shape-only preview of ``value`` that never contains the value.

    Args:
        entity: The Presidio entity type the value was found as.
        value: The raw matched text.
    """
    value = value.strip()
    if entity == "EMAIL_ADDRESS" and "@" in value:
        local, _, domain = value.partition("@")
        labels = domain.split(".")
        masked_domain = ".".join([_mask_word(labels[0]), *labels[1:][-1:]])
        return f"{_mask_word(local)}@{masked_domain}"
    if entity == "US_SSN":
        return f"***-**-{_last_digits(value) or '****'}"
    if entity == "CREDIT_CARD":
        return f"**** **** **** {_last_digits(value) or '****'}"
    if entity == "PHONE_NUMBER":
        tail = _last_digits(value, keep=2)
        return f"***-***-**{tail or '**'}"
    if entity == "IBAN_CODE":
        compact = re.sub(r"\s", "", value)
        return f"{compact[:2].upper()}** **** ({len(compact)} characters)"
    if entity == "IP_ADDRESS":
        return "IPv6 ****:****::****" if ":" in value else "IPv4 ***.***.***.***"
    if entity in {"PERSON", "LOCATION"}:
        words = value.split()
        return " ".join(f"{word[:1]}." for word in words[:3]) or "***"
    return f"<{entity} of {len(value)} characters>"


def fingerprint(value: str, key: bytes) -> str:
    """A short keyed fingerprint of ``value`` (HMAC-SHA256, hex, 16 characters)."""
    digest = hmac.new(key, value.strip().encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:16]


def normalised(entity: str, value: str) -> str:
    """The form a value is keyed by: case-folded emails, digits of numbers.

    ``Jane@Example.com`` and ``jane@example.com``, or ``(555) 201-7788`` and
    ``555.201.7788``, get the same fingerprint and the same pseudonym.
    """
    value = value.strip()
    if entity == "EMAIL_ADDRESS":
        return value.lower()
    if entity in {"PHONE_NUMBER", "US_SSN", "CREDIT_CARD"}:
        return re.sub(r"\D", "", value)
    if entity == "IBAN_CODE":
        return re.sub(r"\s", "", value).upper()
    return value
