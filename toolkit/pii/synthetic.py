"""A seeded generator of labelled data for measuring the PII scanner.

``generate(folder, seed)`` writes a small, messy data project and returns its
labels, which come from construction, not from any detector:

* ``customers.csv``: names, emails, phones (with extensions), SSNs, IPs, cities
  and free-text notes with PII in some rows, beside ids, dates and timestamps;
* ``payments.csv``: cards (2-series Mastercards included) and IBANs, spaced or
  not, beside UUIDs, order ids, barcodes and amounts;
* ``inventory.parquet``: decoys only (SKUs, versions, UPCs, weights, zip codes);
* ``events.csv``: misleading and opaque column names (``phone_number`` holding
  order ids, ``col_7`` holding SSNs, ``ref`` holding emails);
* ``users.jsonl``: nested records with emails and phone lists;
* ``logs/app.log`` and ``tickets.txt``: lines with PII embedded in some of them;
* ``analysis.ipynb``: a notebook whose outputs show PII (and an image).

Every table has nulls, blanks, stray spaces and ``N/A`` markers. The same seed
gives the same files and labels.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DECOY = frozenset[str]()
# Fixed dates, not "the last two years": the same seed must give the same bytes.
FIRST_DAY = datetime.datetime(2022, 1, 1)
LAST_DAY = datetime.datetime(2025, 12, 31)
CARD_TYPES = ("visa16", "visa19", "mastercard", "amex", "discover", "jcb16", "diners")


@dataclass
class Labels:
    """Ground truth: entities per table column, per text line, per notebook output.

    Attributes:
        columns: ``{file: {column: entities}}``; an empty set marks a decoy.
        lines: ``{file: {line number (1-based): entities}}`` for lines with PII;
            the number of lines per file is in ``line_counts``.
        line_counts: ``{file: number of lines}``.
        outputs: ``{notebook: {(cell, output): entities}}``.
    """

    columns: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    lines: dict[str, dict[int, frozenset[str]]] = field(default_factory=dict)
    line_counts: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, dict[tuple[int, int], frozenset[str]]] = field(
        default_factory=dict
    )

    def to_json(self) -> dict[str, Any]:
        """The labels as plain JSON (sets become sorted lists)."""
        return {
            "columns": {
                f: {c: sorted(e) for c, e in cols.items()}
                for f, cols in self.columns.items()
            },
            "lines": {
                f: {str(n): sorted(e) for n, e in lines.items()}
                for f, lines in self.lines.items()
            },
            "line_counts": self.line_counts,
            "outputs": {
                f: {f"{c}:{o}": sorted(e) for (c, o), e in outs.items()}
                for f, outs in self.outputs.items()
            },
        }


class _Maker:
    """Values of each kind, PII and decoy, from one seeded random source."""

    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.random = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.europe = Faker(["de_DE", "fr_FR", "en_GB", "nl_NL", "es_ES"])
        self.europe.seed_instance(seed + 1)

    # PII
    def email(self) -> str:
        return (
            self.fake.email() if self.random.random() < 0.7 else self.fake.free_email()
        )

    def phone(self) -> str:
        if self.random.random() < 0.15:
            exchange, line = (
                self.random.randint(7000, 7999),
                self.random.randint(1, 9999),
            )
            return f"+44 20 {exchange} {line:04d}"
        return self.fake.phone_number()

    def ssn(self) -> str:
        value = self.fake.ssn()
        return value.replace("-", " ") if self.random.random() < 0.1 else value

    def card(self) -> str:
        number = self.fake.credit_card_number(self.random.choice(CARD_TYPES))
        if len(number) == 16 and self.random.random() < 0.4:
            separator = self.random.choice(" -")
            return separator.join(number[i : i + 4] for i in range(0, 16, 4))
        return number

    def iban(self) -> str:
        value = self.europe.iban()
        if self.random.random() < 0.3:
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def ip(self) -> str:
        roll = self.random.random()
        if roll < 0.6:
            return self.fake.ipv4_public()
        return self.fake.ipv4_private() if roll < 0.8 else self.fake.ipv6()

    def person(self) -> str:
        return self.fake.name()

    def city(self) -> str:
        return self.fake.city()

    # decoys
    def order_id(self) -> str:
        year, number = self.random.randint(2019, 2025), self.random.randint(1, 999999)
        return f"ORD-{year}-{number:06d}"

    def date(self) -> str:
        day = self.fake.date_between(FIRST_DAY, LAST_DAY)
        return self.random.choice(
            [day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%Y%m%d")]
        )

    def timestamp(self) -> str:
        seconds = self.random.randint(1_500_000_000, 1_750_000_000)
        return str(seconds * 1000 if self.random.random() < 0.3 else seconds)

    def iso_time(self) -> str:
        moment = self.fake.date_time_between(FIRST_DAY, LAST_DAY)
        return moment.isoformat() + "Z"

    def sku(self) -> str:
        return self.random.choice(
            [
                f"SKU-{self.random.randint(1000, 9999)}-{self.random.choice('SML')}",
                f"AB-{self.random.randint(100, 899)}-{self.random.randint(10, 99)}-"
                f"{self.random.randint(1000, 9999)}",
                f"WH-{self.random.randint(2019, 2025)}-"
                f"{self.random.randint(1, 12):02d}-{self.random.randint(1, 9999):04d}",
            ]
        )

    def version(self) -> str:
        major, minor, patch = (self.random.randint(0, 20) for _ in range(3))
        return self.random.choice(
            [f"{major}.{minor}.{patch}", f"v{major}.{minor}.{patch}"]
        )

    def uuid(self) -> str:
        return str(self.fake.uuid4())

    def barcode(self) -> str:
        return self.fake.ean13() if self.random.random() < 0.7 else self.fake.ean8()

    def upc(self) -> str:
        digits = [self.random.randint(0, 9) for _ in range(11)]
        check = (10 - (3 * sum(digits[0::2]) + sum(digits[1::2])) % 10) % 10
        return "".join(map(str, digits)) + str(check)

    def amount(self) -> str:
        value = self.random.uniform(-500, 25000)
        return self.random.choice(
            [f"{value:.2f}", f"{value:,.2f}", f"${abs(value):.2f}"]
        )

    def account(self) -> str:
        return f"ACCT-{self.random.randint(0, 99999999):08d}"

    def zip_code(self) -> str:
        code = self.fake.zipcode()
        return (
            f"{code}-{self.random.randint(1000, 9999)}"
            if self.random.random() < 0.3
            else code
        )

    def digest(self) -> str:
        return self.fake.sha1() if self.random.random() < 0.5 else self.fake.md5()

    def messy(self, value: str) -> str:
        """Blank, ``N/A``, padded or the value itself."""
        roll = self.random.random()
        if roll < 0.06:
            return ""
        if roll < 0.09:
            return self.random.choice(["N/A", "null", "-", "unknown"])
        if roll < 0.12:
            return f" {value} "
        return value


def _write_csv(path: Path, columns: dict[str, list[str]]) -> None:
    import pandas as pd

    pd.DataFrame(columns).to_csv(path, index=False)


def _table(maker: _Maker, rows: int, spec: dict[str, Any]) -> dict[str, list[str]]:
    return {
        name: [maker.messy(make()) for _ in range(rows)] for name, make in spec.items()
    }


def _notes(maker: _Maker, rows: int) -> tuple[list[str], frozenset[str]]:
    notes, found = [], set()
    templates = [
        (
            "EMAIL_ADDRESS",
            lambda: f"Customer asked to use {maker.email()} from now on.",
        ),
        ("PHONE_NUMBER", lambda: f"Call back on {maker.phone()} after 5pm."),
        ("US_SSN", lambda: f"Verified identity, SSN {maker.ssn()} on file."),
    ]
    for _ in range(rows):
        if maker.random.random() < 0.25:
            entity, make = maker.random.choice(templates)
            notes.append(make())
            found.add(entity)
        else:
            notes.append(
                maker.random.choice(
                    [
                        f"Order {maker.order_id()} delayed, refund {maker.amount()}.",
                        f"Upgraded to plan {maker.version()} on {maker.date()}.",
                        "Prefers email contact.",
                        "",
                    ]
                )
            )
    return notes, frozenset(found)


def _log_lines(
    maker: _Maker, count: int
) -> tuple[list[str], dict[int, frozenset[str]]]:
    lines, labels = [], {}
    pii_lines = [
        (
            {"EMAIL_ADDRESS", "IP_ADDRESS"},
            lambda: f"login ok user={maker.email()} ip={maker.ip()}",
        ),
        (
            {"CREDIT_CARD"},
            lambda: f"payment declined card={maker.card()} reason=expired",
        ),
        ({"PHONE_NUMBER"}, lambda: f"sms sent to {maker.phone()} template=otp"),
        ({"US_SSN"}, lambda: f"kyc check passed ssn={maker.ssn()}"),
        (
            {"IBAN_CODE"},
            lambda: f"payout queued iban={maker.iban()} amount={maker.amount()}",
        ),
    ]
    decoy_lines = [
        lambda: (
            f"request_id={maker.uuid()} order={maker.order_id()} "
            f"took {maker.random.randint(3, 900)}ms"
        ),
        lambda: f"deployed version {maker.version()} build {maker.timestamp()}",
        lambda: (
            f"sku={maker.sku()} stock={maker.random.randint(0, 500)} "
            f"barcode={maker.barcode()}"
        ),
        lambda: f"cache hit key={maker.digest()} ttl=3600",
        lambda: (
            f"batch {maker.account()} settled total={maker.amount()} "
            f"at {maker.iso_time()}"
        ),
    ]
    for number in range(1, count + 1):
        level = maker.random.choice(["INFO", "INFO", "WARN", "DEBUG"])
        if maker.random.random() < 0.2:
            entities, make = maker.random.choice(pii_lines)
            message = make()
            labels[number] = frozenset(entities)
        else:
            message = maker.random.choice(decoy_lines)()
        lines.append(f"{maker.iso_time()} {level} {message}")
    return lines, labels


def _ticket_lines(
    maker: _Maker, count: int
) -> tuple[list[str], dict[int, frozenset[str]]]:
    lines, labels = [], {}
    for number in range(1, count + 1):
        roll = maker.random.random()
        if roll < 0.15:
            lines.append(f"Please update my email to {maker.email()}, thanks.")
            labels[number] = frozenset({"EMAIL_ADDRESS"})
        elif roll < 0.3:
            lines.append(f"You can reach me at {maker.phone()} during the day.")
            labels[number] = frozenset({"PHONE_NUMBER"})
        else:
            lines.append(
                maker.random.choice(
                    [
                        f"My order {maker.order_id()} arrived damaged.",
                        f"The app version {maker.version()} crashes on start.",
                        f"I was charged {maker.amount()} twice on {maker.date()}.",
                        f"Item {maker.sku()} is out of stock again.",
                    ]
                )
            )
    return lines, labels


def _notebook(
    maker: _Maker,
) -> tuple[dict[str, Any], dict[tuple[int, int], frozenset[str]]]:
    head = "\n".join(
        f"{i}  {maker.email():<32} {maker.phone():<24} {maker.order_id()}"
        for i in range(5)
    )
    html = (
        "<table>"
        + "".join(
            f"<tr><td>{maker.ssn()}</td><td>{maker.amount()}</td></tr>"
            for _ in range(3)
        )
        + "</table>"
    )
    stream = f"fetched {maker.random.randint(100, 999)} rows from {maker.ip()}\n"
    cells = [
        {
            "cell_type": "markdown",
            "id": "title",
            "metadata": {},
            "source": "# Customers",
        },
        {
            "cell_type": "code",
            "id": "load",
            "metadata": {},
            "execution_count": 1,
            "source": "df = load_customers()\nprint(len(df))",
            "outputs": [
                {"output_type": "stream", "name": "stdout", "text": stream},
                {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": f"{maker.version()}\n",
                },
            ],
        },
        {
            "cell_type": "code",
            "id": "peek",
            "metadata": {},
            "execution_count": 2,
            "source": "df.head()",
            "outputs": [
                {
                    "output_type": "execute_result",
                    "execution_count": 2,
                    "metadata": {},
                    "data": {"text/plain": head, "text/html": html},
                },
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {
                        "image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"
                    },
                },
            ],
        },
    ]
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "cells": cells,
    }
    labels = {
        (1, 0): frozenset({"IP_ADDRESS"}),
        (1, 1): DECOY,
        (2, 0): frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN"}),
        (2, 1): DECOY,
    }
    return notebook, labels


def generate(folder: str | Path, seed: int = 0, rows: int = 400) -> Labels:
    """Write the labelled corpus into ``folder`` and return its labels.

    Args:
        folder: Where to write (created if needed; existing files are replaced).
        seed: The seed for every random choice.
        rows: Rows per table; log and ticket files get the same number of lines.
    """
    import pandas as pd

    folder = Path(folder)
    (folder / "logs").mkdir(parents=True, exist_ok=True)
    maker = _Maker(seed)
    labels = Labels()

    # customers.csv
    customers = _table(
        maker,
        rows,
        {
            "customer_id": lambda: f"CUST-{maker.random.randint(1, 999999):06d}",
            "full_name": maker.person,
            "email": maker.email,
            "phone": maker.phone,
            "ssn": maker.ssn,
            "signup_date": maker.date,
            "last_login_ts": maker.timestamp,
            "last_ip": maker.ip,
            "city": maker.city,
            "zip": maker.zip_code,
        },
    )
    customers["notes"], note_entities = _notes(maker, rows)
    _write_csv(folder / "customers.csv", customers)
    labels.columns["customers.csv"] = {
        "customer_id": DECOY,
        "full_name": frozenset({"PERSON"}),
        "email": frozenset({"EMAIL_ADDRESS"}),
        "phone": frozenset({"PHONE_NUMBER"}),
        "ssn": frozenset({"US_SSN"}),
        "signup_date": DECOY,
        "last_login_ts": DECOY,
        "last_ip": frozenset({"IP_ADDRESS"}),
        "city": frozenset({"LOCATION"}),
        "zip": DECOY,
        "notes": note_entities,
    }

    # payments.csv
    payments = _table(
        maker,
        rows,
        {
            "payment_id": maker.uuid,
            "order_ref": maker.order_id,
            "card_number": maker.card,
            "iban": maker.iban,
            "amount": maker.amount,
            "barcode": maker.barcode,
            "created_at": maker.iso_time,
            "account": maker.account,
        },
    )
    _write_csv(folder / "payments.csv", payments)
    labels.columns["payments.csv"] = {
        "payment_id": DECOY,
        "order_ref": DECOY,
        "card_number": frozenset({"CREDIT_CARD"}),
        "iban": frozenset({"IBAN_CODE"}),
        "amount": DECOY,
        "barcode": DECOY,
        "created_at": DECOY,
        "account": DECOY,
    }

    # inventory.parquet: decoys only
    inventory = _table(
        maker,
        rows,
        {
            "sku": maker.sku,
            "release": maker.version,
            "upc": maker.upc,
            "weight_kg": lambda: f"{maker.random.uniform(0.1, 80):.3f}",
            "warehouse_zip": maker.zip_code,
            "checksum": maker.digest,
        },
    )
    pd.DataFrame(inventory).to_parquet(folder / "inventory.parquet", index=False)
    labels.columns["inventory.parquet"] = dict.fromkeys(inventory, DECOY)

    # events.csv: names that lie or say nothing
    events = _table(
        maker,
        rows,
        {
            "phone_number": maker.order_id,
            "ssn_hash": maker.digest,
            "col_7": maker.ssn,
            "ref": maker.email,
            "contact": maker.phone,
            "card_bin": lambda: str(maker.random.randint(400000, 559999)),
            "id_number": maker.timestamp,
            "value": maker.ip,
        },
    )
    _write_csv(folder / "events.csv", events)
    labels.columns["events.csv"] = {
        "phone_number": DECOY,
        "ssn_hash": DECOY,
        "col_7": frozenset({"US_SSN"}),
        "ref": frozenset({"EMAIL_ADDRESS"}),
        "contact": frozenset({"PHONE_NUMBER"}),
        "card_bin": DECOY,
        "id_number": DECOY,
        "value": frozenset({"IP_ADDRESS"}),
    }

    # users.jsonl: nested
    with open(folder / "users.jsonl", "w", encoding="utf-8") as handle:
        for _ in range(rows):
            record = {
                "user": {
                    "id": maker.uuid(),
                    "contact": {
                        "email": maker.email(),
                        "phones": [
                            maker.phone() for _ in range(maker.random.randint(1, 2))
                        ],
                    },
                },
                "meta": {
                    "trace": maker.uuid(),
                    "ts": int(maker.timestamp()),
                    "build": maker.version(),
                },
            }
            handle.write(json.dumps(record) + "\n")
    labels.columns["users.jsonl"] = {
        "user.id": DECOY,
        "user.contact.email": frozenset({"EMAIL_ADDRESS"}),
        "user.contact.phones[]": frozenset({"PHONE_NUMBER"}),
        "meta.trace": DECOY,
        "meta.ts": DECOY,
        "meta.build": DECOY,
    }

    # text
    for name, make_lines in (
        ("logs/app.log", _log_lines),
        ("tickets.txt", _ticket_lines),
    ):
        lines, line_labels = make_lines(maker, rows)
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        labels.lines[name] = line_labels
        labels.line_counts[name] = len(lines)

    # notebook
    notebook, output_labels = _notebook(maker)
    (folder / "analysis.ipynb").write_text(
        json.dumps(notebook, indent=1), encoding="utf-8"
    )
    labels.outputs["analysis.ipynb"] = output_labels
    return labels
