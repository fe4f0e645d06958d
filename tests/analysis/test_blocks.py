import ast
import json
from pathlib import Path

from toolkit.analysis.blocks import split_script
from toolkit.analysis.flow import summarise_module
from toolkit.analysis.source import load_source


def layout_of(tmp_path: Path, source: str, name: str = "script.py"):
    path = tmp_path / name
    path.write_text(source)
    unit = load_source(path)
    return split_script(unit, summarise_module(unit.tree))


def test_when_script_has_comment_headers_then_each_header_starts_a_block(tmp_path):
    layout = layout_of(tmp_path, "# Load\na = f()\nb = g(a)\n\n# Save\nh(b)\n")
    assert [block.title for block in layout.blocks] == ["Load", "Save"]
    assert layout.boundary_style == "comments"


def test_when_entry_point_calls_functions_then_each_call_is_a_block(tmp_path):
    source = (
        "def load():\n    return 1\n\n\ndef save(x):\n    print(x)\n\n\n"
        "def main():\n    value = load()\n    save(value)\n\n\n"
        'if __name__ == "__main__":\n    main()\n'
    )
    layout = layout_of(tmp_path, source)
    assert layout.entry == "main"
    assert [block.title for block in layout.blocks] == ["load", "save"]


def test_when_entry_function_returns_early_then_it_stays_one_block(tmp_path):
    source = (
        "def main():\n    x = f()\n    if x:\n        return 1\n    g(x)\n\n\n"
        'if __name__ == "__main__":\n    main()\n'
    )
    layout = layout_of(tmp_path, source)
    assert layout.entry == "__main__"
    assert len(layout.blocks) == 1
    assert "returns early" in layout.notes[0]


def test_when_markers_are_present_then_only_markers_split(tmp_path):
    source = "# %% one\na = f()\n# plain comment\nb = g(a)\n\n# %% two\nh(b)\n"
    layout = layout_of(tmp_path, source)
    assert layout.boundary_style == "markers"
    assert len(layout.blocks) == 2


def test_when_loop_has_comments_inside_then_the_loop_is_not_cut(tmp_path):
    source = (
        "# Sum\ntotal = 0\nfor x in f():\n    # inner note\n    total += x\n"
        "print(total)\n"
    )
    layout = layout_of(tmp_path, source)
    assert len(layout.blocks) == 1


def test_when_block_calls_nothing_then_it_joins_the_next(tmp_path):
    layout = layout_of(tmp_path, "# Setup\nlimit = [5]\n\n# Work\nprint(limit)\n")
    assert len(layout.blocks) == 1


def test_when_constants_and_functions_then_they_are_definitions(tmp_path):
    source = (
        "import os\nLIMIT = 5\nPATH = os.path.join('a', 'b')\n\n"
        "def f():\n    pass\n\nf()\n"
    )
    layout = layout_of(tmp_path, source)
    assert len(layout.definitions) == 4
    assert len(layout.blocks) == 1


def notebook(cells: list[tuple[str, str]]) -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {"cell_type": kind, "metadata": {}, "source": source, "outputs": []}
                if kind == "code"
                else {"cell_type": kind, "metadata": {}, "source": source}
                for kind, source in cells
            ],
        }
    )


def test_when_notebook_has_headings_then_headings_start_the_blocks(tmp_path):
    cells = [
        ("markdown", "# Load it"),
        ("code", "a = f()"),
        ("code", "b = g(a)"),
        ("markdown", "## Save it"),
        ("code", "h(b)"),
    ]
    layout = layout_of(tmp_path, notebook(cells), "book.ipynb")
    assert layout.boundary_style == "headings"
    assert [block.title for block in layout.blocks] == ["Load it", "Save it"]


def test_when_notebook_has_no_headings_then_each_code_cell_is_a_block(tmp_path):
    cells = [("code", "a = f()"), ("code", "b = g(a)"), ("code", "h(b)")]
    layout = layout_of(tmp_path, notebook(cells), "book.ipynb")
    assert layout.boundary_style == "cells"
    assert len(layout.blocks) == 3


def test_blocks_cover_statements_in_source_order(tmp_path):
    layout = layout_of(tmp_path, "a = f()\n\nb = g(a)\n\nc = h(b)\n")
    lines = [s.lineno for block in layout.blocks for s in block.statements]
    assert lines == sorted(lines) == [1, 3, 5]
    assert all(isinstance(s, ast.stmt) for b in layout.blocks for s in b.statements)
