from pathlib import Path

from toolkit.cli.reference import render

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_committed_command_reference_matches_the_parsers() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == render(), (
        "regenerate with: python -m toolkit.cli.reference > docs/cli.md"
    )


def test_reference_covers_every_command() -> None:
    text = render()

    for command in ("notebooks run", "check", "progress", "migrate", "verify"):
        assert f"## `toolkit {command}`" in text
    for command in ("doctor", "repair", "pii scan", "pii anonymize"):
        assert f"## `toolkit {command}`" in text
