"""Every command has help with an example, and usage errors are one line, exit 2."""

import argparse

import pytest

from toolkit.cli import build_parser, main


def _leaf_parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    found: list[tuple[str, argparse.ArgumentParser]] = []

    def walk(parser: argparse.ArgumentParser) -> None:
        actions = [
            a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
        ]
        if not actions:
            found.append((parser.prog, parser))
        for action in actions:
            for child in dict.fromkeys(action.choices.values()):
                walk(child)

    walk(build_parser())
    return found


LEAVES = _leaf_parsers()


@pytest.mark.parametrize(("prog", "parser"), LEAVES, ids=[p for p, _ in LEAVES])
def test_every_command_has_a_description_and_an_example(
    prog: str, parser: argparse.ArgumentParser
) -> None:
    text = parser.format_help()

    assert parser.description, f"{prog} has no description"
    assert "Example" in text, f"{prog} --help shows no example"


def test_when_command_is_unknown_then_exit_two_with_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["frobnicate"]) == 2

    error = capsys.readouterr().err
    assert "invalid choice: 'frobnicate'" in error
    assert error.count("\n") == 1


def test_version_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "toolkit" in capsys.readouterr().out
