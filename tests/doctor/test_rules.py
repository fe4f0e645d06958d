"""Table-driven tests: every rule against its positive and negative fixtures.

A positive fixture marks each line the rule must report with ``# expect RULE``; the
rule must report exactly those lines. A negative fixture is a trap the rule must not
fall into.
"""

import re
from pathlib import Path

import nbformat
import pytest

from toolkit.doctor.catalog import ERROR, RULES
from toolkit.doctor.engine import diagnose

FIXTURES = Path(__file__).parent / "fixtures"
RULE_FIXTURES = sorted((FIXTURES / "rules").glob("*.py"))
POSITIVE = [path for path in RULE_FIXTURES if "_pos_" in path.name]
NEGATIVE = [path for path in RULE_FIXTURES if "_neg_" in path.name]
ROOT = Path(__file__).resolve().parents[2]


def expected_lines(path: Path, rule: str) -> set[int]:
    return {
        number
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(rf"# expect {rule}\b", line)
    }


@pytest.mark.parametrize("fixture", POSITIVE, ids=lambda path: path.stem)
def test_when_fixture_has_the_defect_then_rule_reports_exactly_its_lines(fixture):
    rule = fixture.name[:3]

    report = diagnose(fixture)

    found = {finding.line for finding in report.findings if finding.rule == rule}
    assert found == expected_lines(fixture, rule)


@pytest.mark.parametrize("fixture", NEGATIVE, ids=lambda path: path.stem)
def test_when_fixture_is_a_trap_then_rule_stays_silent(fixture):
    rule = fixture.name[:3]

    report = diagnose(fixture)

    assert [f for f in report.findings if f.rule == rule] == []


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_has_two_positive_forms_a_negative_and_a_page(rule):
    positives = [p for p in POSITIVE if p.name.startswith(rule)]
    negatives = [p for p in NEGATIVE if p.name.startswith(rule)]

    assert len(positives) >= 2
    assert len(negatives) >= 1
    assert (ROOT / RULES[rule].doc).is_file()


def test_when_script_is_careful_then_no_finding_despite_red_herrings():
    report = diagnose(FIXTURES / "clean_red_herrings.py")

    assert [(f.rule, f.line) for f in report.findings] == []


def test_when_finding_is_reported_then_it_names_location_fix_and_page():
    report = diagnose(FIXTURES / "rules" / "P02_pos_equals_nan.py")

    finding = report.findings[0].to_json()

    assert finding["location"] == "line 5"
    assert finding["doc"] == "docs/rules/P02.md"
    assert finding["fix"] and finding["message"] and finding["severity"] == ERROR


PLANTED = {
    ("I01", 20), ("D02", 25), ("L03", 26), ("P03", 26), ("X01", 35), ("D01", 37),
    ("P02", 39), ("P01", 40), ("D01", 41), ("L03", 45), ("L02", 50), ("L01", 60),
    ("L05", 62), ("L06", 62), ("R01", 62), ("R01", 68), ("R02", 68), ("L04", 70),
    ("R01", 75), ("R02", 75), ("E01", 77), ("E02", 77), ("D02", 82), ("D01", 84),
    ("S01", 86), ("S01", 87), ("I02", 91),
}  # fmt: skip


def test_shipped_broken_pipeline_shows_every_planted_defect_at_its_line():
    report = diagnose(ROOT / "legacy_scripts" / "broken_ml_pipeline.py")

    assert {(f.rule, f.line) for f in report.findings} == PLANTED
    assert report.rules() == set(RULES)


def test_when_a_notebook_cell_ends_with_the_expression_then_it_is_shown_not_lost(
    tmp_path,
):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import pandas as pd\ndf = pd.read_parquet('x.pq')"),
        nbformat.v4.new_code_cell("df.dropna()\n# the rows with gaps"),
        nbformat.v4.new_code_cell("df.dropna()\nprint(len(df))"),
    ]
    path = tmp_path / "explore.ipynb"
    nbformat.write(notebook, path)

    report = diagnose(path)

    assert [(f.rule, f.location) for f in report.findings] == [
        ("P03", "cell 2, line 1")
    ]
