import json

import pytest

# Made-up values in well-known test ranges (555 phones, documentation-style
# numbers, Stripe's test card, the IBAN example from ISO 13616).
EMAIL = "jane.doe@example.com"
PHONE = "(555) 201-7788 x12"
SSN = "219-09-9998"
CARD = "4111 1111 1111 1111"
IBAN = "DE89370400440532013000"
IP = "81.2.69.160"
RAW_VALUES = [EMAIL, PHONE, SSN, CARD, IBAN, IP]


@pytest.fixture
def customers_csv(tmp_path):
    path = tmp_path / "customers.csv"
    rows = ["id,contact_email,phone,ssn,card,iban,client_ip"]
    rows.append(f'1,{EMAIL},"{PHONE}",{SSN},{CARD},{IBAN},{IP}')
    rows.append(
        "2,max@corp.example.org,+1-202-555-0143,078-12-3456,"
        "5555555555554444,GB82WEST12345698765432,2001:db8::1"
    )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def decoys_csv(tmp_path):
    path = tmp_path / "decoys.csv"
    rows = ["order_id,created,ts,sku,version,uuid,ean,amount,phone_ext"]
    for n in range(30):
        rows.append(
            f"ORD-2024-{n:06d},2024-01-{n % 28 + 1:02d},{1700000000 + n * 977},"
            f"SKU-{4821 + n}-XL,{n % 4}.{n % 11}.{n},"
            f"550e8400-e29b-41d4-a716-{446655440000 + n:012d},"
            f"40063813{33931 + n:05d},{1234.56 + n:.2f},x{n}"
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def app_log(tmp_path):
    path = tmp_path / "app.log"
    path.write_text(
        "2024-01-15T10:20:30Z INFO started worker 3\n"
        f"2024-01-15T10:20:31Z WARN login failed for {EMAIL} from {IP}\n"
        "2024-01-15T10:20:32Z INFO order ORD-2024-000123 shipped\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def notebook_with_pii_in_output(tmp_path):
    path = tmp_path / "explore.ipynb"
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {
                "cell_type": "markdown",
                "id": "intro",
                "metadata": {},
                "source": ["# Explore\n"],
            },
            {
                "cell_type": "code",
                "id": "head",
                "metadata": {},
                "execution_count": 1,
                "source": ["df.head()"],
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["rows: 2\n"]},
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {
                            "image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB",
                            "text/plain": [f"0  {SSN}  {CARD}\n"],
                        },
                    },
                ],
            },
        ],
    }
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


@pytest.fixture
def nested_json(tmp_path):
    path = tmp_path / "orders.json"
    document = {
        "orders": [
            {"id": "ORD-2024-000123", "customer": {"emails": [EMAIL]}},
            {"id": "ORD-2024-000124", "customer": {"emails": ["bob@corp.example.org"]}},
        ]
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def raw_values():
    return list(RAW_VALUES)
