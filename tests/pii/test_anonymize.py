import json

import nbformat
import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.errors import UserInputError
from toolkit.pii.anonymize import anonymize
from toolkit.pii.scanner import ScanOptions, scan

PATTERNS_ONLY = ScanOptions(model="blank")
KEY = b"test-key"


@pytest.fixture
def two_tables_sharing_emails(tmp_path, customers_csv):
    orders = customers_csv.parent / "orders.csv"
    orders.write_text(
        "order_id,buyer\nORD-2024-000001,jane.doe@example.com\n"
        "ORD-2024-000002,JANE.DOE@example.com\n",
        encoding="utf-8",
    )
    return customers_csv.parent


def test_when_table_is_anonymized_then_schema_and_rows_stay(customers_csv, tmp_path):
    out = tmp_path.parent / f"{tmp_path.name}-out"

    anonymize(str(customers_csv), out, KEY, options=PATTERNS_ONLY)

    before = pd.read_csv(customers_csv, dtype=str)
    after = pd.read_csv(out / "customers.csv", dtype=str)
    assert list(after.columns) == list(before.columns)
    assert len(after) == len(before)
    assert after["id"].tolist() == before["id"].tolist()
    assert not set(after["ssn"]) & set(before["ssn"])


def test_when_folder_is_anonymized_then_a_rescan_finds_nothing(
    customers_csv, app_log, notebook_with_pii_in_output, nested_json, tmp_path
):
    out = tmp_path.parent / f"{tmp_path.name}-out"
    assert scan([str(tmp_path)], PATTERNS_ONLY).findings

    anonymize(str(tmp_path), out, KEY, options=PATTERNS_ONLY)

    assert scan([str(out)], PATTERNS_ONLY).findings == []


def test_when_notebook_is_anonymized_then_it_is_still_valid(
    notebook_with_pii_in_output, tmp_path
):
    out = tmp_path.parent / f"{tmp_path.name}-out"

    anonymize(str(notebook_with_pii_in_output), out, KEY, options=PATTERNS_ONLY)

    notebook = nbformat.read(out / "explore.ipynb", as_version=4)
    nbformat.validate(notebook)
    outputs = notebook.cells[1].outputs
    assert "image/png" in outputs[1]["data"]
    assert "4111" not in outputs[1]["data"]["text/plain"]


def test_when_same_email_is_in_two_tables_then_pseudonyms_join(
    two_tables_sharing_emails, tmp_path
):
    out = tmp_path.parent / f"{tmp_path.name}-out"

    anonymize(str(two_tables_sharing_emails), out, KEY, options=PATTERNS_ONLY)

    customers = pd.read_csv(out / "customers.csv", dtype=str)
    orders = pd.read_csv(out / "orders.csv", dtype=str)
    token = customers["contact_email"][0]
    assert token.startswith("<EMAIL_ADDRESS_")
    assert orders["buyer"].tolist() == [token, token]


def test_when_key_differs_then_pseudonyms_differ(customers_csv, tmp_path):
    first = tmp_path.parent / f"{tmp_path.name}-a"
    second = tmp_path.parent / f"{tmp_path.name}-b"

    anonymize(str(customers_csv), first, b"one", options=PATTERNS_ONLY)
    anonymize(str(customers_csv), second, b"two", options=PATTERNS_ONLY)

    one = pd.read_csv(first / "customers.csv", dtype=str)["contact_email"]
    two = pd.read_csv(second / "customers.csv", dtype=str)["contact_email"]
    assert not set(one) & set(two)


@pytest.mark.parametrize("operator", ["mask", "hash", "redact"])
def test_every_operator_leaves_nothing_to_find(customers_csv, tmp_path, operator):
    out = tmp_path.parent / f"{tmp_path.name}-{operator}"

    anonymize(str(customers_csv), out, KEY, operator, PATTERNS_ONLY)

    assert len(pd.read_csv(out / "customers.csv", dtype=str)) == 2
    assert scan([str(out)], PATTERNS_ONLY).findings == []


def test_when_parquet_is_anonymized_then_its_schema_is_kept(customers_csv, tmp_path):
    parquet = tmp_path / "customers.parquet"
    pd.read_csv(customers_csv, dtype={"id": "int64"}).to_parquet(parquet)
    customers_csv.unlink()
    out = tmp_path.parent / f"{tmp_path.name}-out"

    anonymize(str(tmp_path), out, KEY, options=PATTERNS_ONLY)

    import pyarrow.parquet as pq

    assert pq.read_schema(out / "customers.parquet").equals(pq.read_schema(parquet))
    assert scan([str(out)], PATTERNS_ONLY).findings == []


def test_when_out_is_inside_the_input_then_nothing_is_written(customers_csv):
    out = customers_csv.parent / "anon"

    with pytest.raises(UserInputError, match="overlaps the input"):
        anonymize(str(customers_csv.parent), out, KEY, options=PATTERNS_ONLY)

    assert not out.exists()


def test_when_out_already_has_files_then_they_are_not_touched(customers_csv, tmp_path):
    out = tmp_path.parent / f"{tmp_path.name}-out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")

    with pytest.raises(UserInputError, match="already exists"):
        anonymize(str(customers_csv), out, KEY, options=PATTERNS_ONLY)

    assert (out / "mine.txt").read_text() == "keep me"


def test_anonymize_command_reports_json_and_exits_0(capsys, customers_csv, tmp_path):
    out = tmp_path.parent / f"{tmp_path.name}-out"

    code = main(
        [
            "pii",
            "anonymize",
            str(customers_csv),
            "--out",
            str(out),
            "--key",
            "k",
            "--json",
            "--model",
            "blank",
        ]
    )

    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert document["files"] == [
        {"path": "customers.csv", "kind": "table", "replaced": 12}
    ]


@pytest.mark.slow
def test_when_labelled_corpus_is_anonymized_then_a_full_rescan_finds_nothing(tmp_path):
    from toolkit.pii.synthetic import generate

    corpus, out = tmp_path / "corpus", tmp_path / "anonymized"
    generate(corpus, seed=4, rows=80)

    anonymize(str(corpus), out, KEY)

    assert scan([str(out)]).findings == []
    customers = pd.read_csv(out / "customers.csv", dtype=str, keep_default_na=False)
    assert len(customers) == 80
    assert "N/A" in set(customers["email"]) | set(customers["ssn"])


def test_when_one_file_is_bad_then_the_rest_is_written_and_exit_is_2(
    capsys, customers_csv, tmp_path
):
    (customers_csv.parent / "broken.ipynb").write_text('{"cells": [219-09-9998')
    out = tmp_path.parent / f"{tmp_path.name}-out"

    code = main(
        [
            "pii",
            "anonymize",
            str(customers_csv.parent),
            "--out",
            str(out),
            "--key",
            "k",
            "--model",
            "blank",
        ]
    )

    err = capsys.readouterr().err
    assert code == 2
    assert "broken.ipynb: is not valid JSON" in err
    assert "219-09-9998" not in err
    assert (out / "customers.csv").exists()
    assert not (out / "broken.ipynb").exists()


def test_when_anonymizing_fails_inside_then_message_has_no_value(
    monkeypatch, customers_csv, tmp_path
):
    from toolkit.pii import anonymize as module

    def explode(*args, **kwargs):
        raise ValueError("jane.doe@example.com")

    monkeypatch.setattr(module, "_rewrite_csv", explode)
    out = tmp_path.parent / f"{tmp_path.name}-out"

    result = anonymize(str(customers_csv), out, KEY, options=PATTERNS_ONLY)

    assert [p.path for p in result.problems] == ["customers.csv"]
    assert "ValueError" in result.problems[0].message
    assert "jane.doe" not in result.problems[0].message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a\r\nmail jane.doe@example.com\r\n", "a\r\nmail <EMAIL_ADDRESS_*>\r\n"),
        ("a\nmail jane.doe@example.com", "a\nmail <EMAIL_ADDRESS_*>"),
    ],
)
def test_text_copy_keeps_line_endings_and_final_newline(tmp_path, content, expected):
    source = tmp_path / "in" / "notes.txt"
    source.parent.mkdir()
    source.write_bytes(content.encode())

    anonymize(str(source), tmp_path / "out", KEY, options=PATTERNS_ONLY)

    written = (tmp_path / "out" / "notes.txt").read_bytes().decode()
    prefix, _, suffix = expected.partition("*")
    assert written.startswith(prefix)
    assert written.endswith(suffix)
    assert written.count("\n") == expected.count("\n")
