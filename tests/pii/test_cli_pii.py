import json
import subprocess
import sys

import pytest

from toolkit.cli import main


def _run(capsys, *argv):
    code = main(["pii", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_when_pii_is_found_then_exit_is_1(capsys, customers_csv):
    code, out, _ = _run(capsys, "scan", str(customers_csv), "--model", "blank")

    assert code == 1
    assert "contact_email" in out and "EMAIL_ADDRESS 100%" in out


def test_when_nothing_is_found_then_exit_is_0(capsys, decoys_csv):
    code, out, _ = _run(capsys, "scan", str(decoys_csv), "--model", "blank")

    assert code == 0
    assert "0 finding(s)" in out


def test_json_document_has_files_findings_and_not_covered(capsys, customers_csv):
    code, out, _ = _run(
        capsys, "scan", str(customers_csv.parent), "--json", "--model", "blank"
    )

    document = json.loads(out)
    assert code == 1
    assert {"files", "findings", "not_covered"} <= set(document)
    assert document["files"][0]["path"] == "customers.csv"
    assert document["files"][0]["kind"] == "table"
    column = document["files"][0]["columns"][1]
    assert column["name"] == "contact_email"
    assert column["entities"] == {"EMAIL_ADDRESS": 1.0}
    finding = document["findings"][0]
    assert set(finding) >= {"path", "entity", "score", "location", "preview"}
    assert document["not_covered"] == ["PERSON", "LOCATION"]


@pytest.mark.slow
def test_verbose_scan_never_prints_a_raw_value(
    customers_csv, app_log, notebook_with_pii_in_output, nested_json, raw_values
):
    folder = customers_csv.parent
    (folder / "broken.csv").write_text(f'a,b\n"{raw_values[0]},1\n')
    (folder / "broken.ipynb").write_text(f'{{"cells": [{raw_values[2]}')

    for flags in (["--verbose"], ["--verbose", "--json"]):
        completed = subprocess.run(
            [sys.executable, "-m", "toolkit", "pii", "scan", str(folder), *flags],
            capture_output=True,
            text=True,
            timeout=240,
        )

        assert completed.returncode == 2
        assert "broken.csv" in completed.stderr
        assert "broken.ipynb" in completed.stderr
        for value in raw_values:
            assert value not in completed.stdout
            assert value not in completed.stderr
        digits_only = [v.replace(" ", "").replace("-", "") for v in raw_values[2:4]]
        for value in digits_only:
            assert value not in completed.stdout + completed.stderr


def test_when_path_is_missing_then_exit_2_names_it(capsys, tmp_path):
    missing = tmp_path / "nope.csv"

    code, _, err = _run(capsys, "scan", str(missing), "--model", "blank")

    assert code == 2
    assert "nope.csv: no such file or folder" in err


def test_when_file_is_binary_then_exit_2_names_it(capsys, tmp_path):
    binary = tmp_path / "dump.log"
    binary.write_bytes(b"\x00\x01\x02secret@example.com")

    code, out, err = _run(capsys, "scan", str(binary), "--model", "blank")

    assert code == 2
    assert "dump.log: looks binary" in err
    assert "secret@example.com" not in out + err


def test_when_csv_quoting_is_broken_then_exit_2_names_the_file(capsys, tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_text('name,email\n"unterminated,x@example.com\n')

    code, out, err = _run(capsys, "scan", str(broken), "--model", "blank")

    assert code == 2
    assert "broken.csv: is not valid CSV" in err
    assert "x@example.com" not in out + err
    assert len(err.strip().splitlines()) == 1


def test_when_notebook_is_not_json_then_exit_2_names_it(capsys, tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [ 219-09-9998')

    code, out, err = _run(capsys, "scan", str(broken), "--model", "blank")

    assert code == 2
    assert "broken.ipynb: is not valid JSON at line 1" in err
    assert "219-09-9998" not in out + err


def test_when_one_file_in_a_folder_is_bad_then_the_rest_is_still_scanned(
    capsys, customers_csv
):
    (customers_csv.parent / "broken.ipynb").write_text("not json")

    code, out, err = _run(
        capsys, "scan", str(customers_csv.parent), "--json", "--model", "blank"
    )

    document = json.loads(out)
    assert code == 2
    assert [f["path"] for f in document["files"]] == ["customers.csv"]
    assert document["findings"]
    assert [e["path"] for e in document["errors"]] == ["broken.ipynb"]
    assert "broken.ipynb" in err


def test_when_entity_is_unknown_then_exit_2(capsys, customers_csv):
    code, _, err = _run(capsys, "scan", str(customers_csv), "--entities", "EMAIL")

    assert code == 2
    assert "unknown entity 'EMAIL'" in err
    assert len(err.strip().splitlines()) == 1


def test_when_threshold_is_out_of_range_then_exit_2(capsys, customers_csv):
    code, _, err = _run(capsys, "scan", str(customers_csv), "--threshold", "3")

    assert code == 2
    assert "--threshold 3.0" in err


def test_when_allowlist_covers_findings_then_exit_is_0(capsys, app_log, tmp_path):
    allowlist = tmp_path / "allow.json"
    allowlist.write_text(
        json.dumps(
            [
                {"path": "app.log", "entity": "*", "reason": "fake log on purpose"},
            ]
        )
    )

    code, _, _ = _run(
        capsys, "scan", str(app_log), "--allowlist", str(allowlist), "--model", "blank"
    )

    assert code == 0


def test_when_allowlist_entry_has_no_reason_then_exit_2(capsys, app_log, tmp_path):
    allowlist = tmp_path / "allow.json"
    allowlist.write_text(json.dumps([{"path": "app.log", "entity": "*"}]))

    code, _, err = _run(capsys, "scan", str(app_log), "--allowlist", str(allowlist))

    assert code == 2
    assert "lacks path, entity or reason" in err


@pytest.mark.slow
def test_scanning_the_labelled_corpus_never_prints_a_labelled_value(tmp_path):
    import pandas as pd

    from toolkit.pii.synthetic import generate

    labels = generate(tmp_path, seed=11, rows=60)
    raw = set()
    for name, columns in labels.columns.items():
        if not name.endswith(".csv"):
            continue
        frame = pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)
        for column, entities in columns.items():
            if entities:
                raw.update(v.strip() for v in frame[column] if len(v.strip()) > 5)

    completed = subprocess.run(
        [sys.executable, "-m", "toolkit", "pii", "scan", str(tmp_path), "--verbose"],
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert completed.returncode == 1
    printed = completed.stdout + completed.stderr
    assert len(raw) > 100
    assert [value for value in raw if value in printed] == []


def test_when_parquet_file_is_not_parquet_then_exit_2_names_it(capsys, tmp_path):
    fake = tmp_path / "table.parquet"
    fake.write_text("id,email\n1,someone@example.com\n")

    code, out, err = _run(capsys, "scan", str(fake), "--model", "blank")

    assert code == 2
    assert "table.parquet: is not a readable Parquet file" in err
    assert "someone@example.com" not in out + err


def test_json_gives_text_files_an_empty_column_list(capsys, app_log):
    code, out, _ = _run(capsys, "scan", str(app_log), "--json", "--model", "blank")

    file = json.loads(out)["files"][0]
    assert code == 1
    assert file == {"path": str(app_log), "kind": "text", "columns": []}


def test_with_a_key_the_same_value_has_the_same_fingerprint_everywhere(
    capsys, tmp_path
):
    (tmp_path / "users.csv").write_text("login\nJane.Doe@Example.com\n")
    (tmp_path / "app.log").write_text("mail sent to jane.doe@example.com\n")
    (tmp_path / "other.log").write_text("mail sent to john.roe@example.com\n")

    code, out, _ = _run(
        capsys, "scan", str(tmp_path), "--json", "--model", "blank", "--key", "k1"
    )

    prints = {f["path"]: f["fingerprint"] for f in json.loads(out)["findings"]}
    assert code == 1
    assert prints["users.csv"] == prints["app.log"] != prints["other.log"]


def test_without_a_key_findings_carry_no_fingerprint(capsys, app_log, monkeypatch):
    monkeypatch.delenv("TOOLKIT_PII_KEY", raising=False)

    _, out, _ = _run(capsys, "scan", str(app_log), "--json", "--model", "blank")

    assert all("fingerprint" not in f for f in json.loads(out)["findings"])
