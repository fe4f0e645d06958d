"""``toolkit doctor`` and ``toolkit repair`` from the command line: output, exits."""

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from toolkit.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "legacy_scripts" / "broken_ml_pipeline.py"


def test_when_errors_found_then_json_lists_findings_and_exit_is_1(capsys):
    code = main(["doctor", str(BROKEN), "--json"])

    document = json.loads(capsys.readouterr().out)
    assert code == 1
    first = document["findings"][0]
    assert set(first) >= {"rule", "line", "severity", "message", "evidence", "fix"}
    assert first["severity"] in {"error", "warning"}


def test_when_only_warnings_then_exit_is_0(capsys):
    code = main(["doctor", str(FIXTURES / "rules" / "D02_pos_read_csv_guessing.py")])

    assert code == 0
    assert "D02" in capsys.readouterr().out


def test_when_script_is_clean_then_exit_is_0_and_says_so(tmp_path, capsys):
    script = tmp_path / "tidy.py"
    script.write_text("import pandas as pd\n\nframe = pd.DataFrame({'a': [1]})\n")

    code = main(["doctor", str(script)])

    assert code == 0
    assert "no findings" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("def broken(:\n", "does not parse"),
        ("\x00\x01binary", "binary"),
        ("Just some notes about the model, not code.\n", "does not parse"),
    ],
    ids=["empty", "syntax-error", "binary", "prose"],
)
def test_when_input_is_not_python_then_exit_is_2_with_one_line(
    tmp_path, capsys, content, message
):
    script = tmp_path / "input.py"
    script.write_text(content)

    code = main(["doctor", str(script)])

    error = capsys.readouterr().err
    assert code == 2
    assert message in error
    assert len(error.strip().splitlines()) == 1


def test_when_doctor_runs_without_run_flag_then_script_is_never_executed(tmp_path):
    marker = tmp_path / "executed.txt"
    script = tmp_path / "side_effect.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('ran')\n")

    main(["doctor", str(script)])

    assert not marker.exists()


def test_when_notebook_then_findings_name_cell_and_line(tmp_path, capsys):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Train"),
        nbformat.v4.new_code_cell("import numpy as np\nimport pandas as pd"),
        nbformat.v4.new_code_cell(
            "df = pd.read_parquet('x.parquet')\n%matplotlib inline\n"
            "bad = df[df['a'] == np.nan]"
        ),
    ]
    path = tmp_path / "train.ipynb"
    nbformat.write(notebook, path)

    code = main(["doctor", str(path), "--json"])

    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    assert [(f["rule"], f["location"]) for f in findings] == [("P02", "cell 2, line 3")]


def test_when_run_script_fails_then_exit_is_2_with_its_error(tmp_path, capsys):
    script = tmp_path / "fails.py"
    script.write_text("import pandas as pd\n\npd.read_csv('missing.csv')\n")

    code = main(["doctor", str(script), "--run", "--workdir", str(tmp_path)])

    error = capsys.readouterr().err
    assert code == 2
    assert "failed with exit code 1" in error and "missing.csv" in error


def test_when_run_goes_over_time_then_exit_is_2_and_nothing_hangs(tmp_path, capsys):
    script = tmp_path / "forever.py"
    script.write_text("import time\n\nwhile True:\n    time.sleep(0.1)\n")

    code = main(["doctor", str(script), "--run", "--timeout", "3"])

    assert code == 2
    assert "still running after 3 s" in capsys.readouterr().err


def test_when_run_then_workdir_is_left_untouched(tmp_path, capsys):
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / "repair", work)

    main(["doctor", str(work / "train_score_reported.py"), "--run", "--json"])

    assert sorted(p.name for p in work.iterdir()) == sorted(
        p.name for p in (FIXTURES / "repair").iterdir()
    )
    document = json.loads(capsys.readouterr().out)
    assert document["run"]["last_metric"]["side"] == "train"


def test_when_repair_without_verify_then_out_is_written_and_changes_listed(
    tmp_path, capsys
):
    out = tmp_path / "fixed.py"

    code = main(
        [
            "repair",
            str(FIXTURES / "repair" / "nan_comparison.py"),
            "--out",
            str(out),
            "--no-verify",
            "--json",
        ]
    )

    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [c["rule"] for c in document["changes"]] == ["P02"]
    assert ".isna()" in out.read_text()


def test_when_repair_given_a_notebook_then_exit_is_2(tmp_path, capsys):
    path = tmp_path / "train.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), path
    )

    code = main(["repair", str(path), "--out", str(tmp_path / "o.py")])

    assert code == 2
    assert "is a notebook" in capsys.readouterr().err


def test_when_notebook_runs_then_evidence_is_located_by_cell(tmp_path, capsys):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import numpy as np\nimport pandas as pd\n"
            "from sklearn.linear_model import LogisticRegression\n"
            "from sklearn.metrics import accuracy_score\n"
            "from sklearn.model_selection import train_test_split"
        ),
        nbformat.v4.new_code_cell(
            "rng = np.random.default_rng(1)\n"
            "df = pd.DataFrame({'a': rng.normal(size=200), 'b': rng.random(200)})\n"
            "df['y'] = (df['a'] + rng.normal(size=200) > 1).astype(int)\n%time x = 1"
        ),
        nbformat.v4.new_code_cell(
            "X_train, X_test, y_train, y_test = train_test_split(\n"
            "    df[['a', 'b']], df['y'], random_state=0)\n"
            "model = LogisticRegression(C=1.0, max_iter=100).fit(X_train, y_train)\n"
            "print(accuracy_score(y_train, model.predict(X_train)))"
        ),
    ]
    path = tmp_path / "train.ipynb"
    nbformat.write(notebook, path)

    code = main(["doctor", str(path), "--run", "--json"])

    findings = json.loads(capsys.readouterr().out)["findings"]
    e01 = next(f for f in findings if f["rule"] == "E01")
    assert code == 1
    assert e01["location"] == "cell 2, line 4"
    assert e01["status"] == "confirmed" and "reported accuracy_score" in e01["evidence"]


@pytest.mark.slow
def test_when_run_in_text_mode_then_the_measurements_are_summarised(capsys):
    code = main(["doctor", str(BROKEN), "--run", "--workdir", str(BROKEN.parent)])

    out = capsys.readouterr().out
    assert code == 1
    assert "run: split at line 62" in out
    assert "run: StandardScaler.fit_transform at line 60 saw" in out
    assert "run: line 41 dropna lost 63 of 2121 rows" in out
    assert "L06 evidence:" in out and "customer_id values in test" in out
