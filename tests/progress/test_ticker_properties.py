"""Properties of the ticker over generated notes (hypothesis).

Whatever the note holds, ticking changes only status characters (a space becomes an
``x``) and adds done dates; running it again changes nothing; and it is monotone: a
ticked line stays ticked, and ticking more items never undoes fewer.
"""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.progress.note import split_lines
from toolkit.progress.roadmap import all_items
from toolkit.progress.ticker import tick_text

ITEMS = all_items()[:8]
DATES = {item.block_id: f"2026-0{1 + i % 9}-1{i % 10}" for i, item in enumerate(ITEMS)}
DATE_INSERT = re.compile(r" ✅ \d{4}-\d{2}-\d{2}")

free_text = st.text(
    alphabet=st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)),
    max_size=30,
)
roadmap_words = st.sampled_from([item.text for item in ITEMS])
task_words = st.one_of(
    roadmap_words,
    roadmap_words,
    roadmap_words,
    st.sampled_from(["reworded item", "Déployer le modèle 🚀", "Ingest raw data!"]),
    free_text,
)
task_line = st.builds(
    lambda prefix, marker, status, words, fields, block, trailing: (
        f"{prefix}{marker}[{status}] {words}{fields}{block}{trailing}"
    ),
    st.sampled_from(["", "  ", "    ", "\t", "> ", "> > "]),
    st.sampled_from(["- ", "* ", "+ ", "1. ", "2) "]),
    st.sampled_from([" ", " ", " ", " ", " ", "x", "X", "/", "-", ">"]),
    task_words,
    st.sampled_from(
        ["", " ⏫", " 📅 2026-01-01", " 🔁 every week", " #tag", " ✅ 2025-12-31"]
    ),
    st.one_of(
        st.just(""),
        st.sampled_from([f" ^{item.block_id}" for item in ITEMS]),
        st.just(" ^own-id"),
    ),
    st.sampled_from(["", " ", "\t", "\r"]),
)
other_line = st.one_of(
    free_text,
    free_text,
    free_text,
    st.sampled_from(["```", "~~~", "````python", "%%", "---", "...", "> [!note]", ""]),
    st.sampled_from(["## 🧱 1. Foundational Concepts", "# Notes ✨", "> quote"]),
    st.sampled_from(["## 🧱 1. Foundational Concepts", "- plain item", "text"]),
)
line_ending = st.sampled_from(["\n", "\r\n"])


@st.composite
def notes(draw: st.DrawFn) -> str:
    bodies = draw(
        st.lists(
            st.one_of(task_line, task_line, task_line, other_line),
            min_size=3,
            max_size=25,
        )
    )
    endings = [draw(line_ending) for _ in bodies]
    if bodies and draw(st.booleans()):
        endings[-1] = ""
    bom = "\ufeff" if draw(st.booleans()) else ""
    return bom + "".join(b + e for b, e in zip(bodies, endings, strict=True))


completed_sets = st.sets(st.sampled_from(list(DATES)), min_size=2)


def tick(text: str, ids: set[str], with_dates: bool) -> str:
    return tick_text(text, {i: DATES[i] for i in ids}, with_dates, ITEMS).updated


def only_ticks_and_dates_differ(before: str, after: str) -> bool:
    old_lines, new_lines = split_lines(before), split_lines(after)
    if len(old_lines) != len(new_lines):
        return False
    for old, new in zip(old_lines, new_lines, strict=True):
        if old == new:
            continue
        at = next(i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b)
        if (old[at - 1 : at + 2], new[at]) != ("[ ]", "x"):
            return False
        untick = new[:at] + " " + new[at + 1 :]
        if untick == old:
            continue
        date = DATE_INSERT.search(untick, at)
        if not date or untick[: date.start()] + untick[date.end() :] != old:
            return False
    return True


@settings(max_examples=300, deadline=None)
@given(notes(), completed_sets, st.booleans())
def test_only_status_characters_and_added_dates_change(
    note: str, done: set[str], with_dates: bool
) -> None:
    after = tick(note, done, with_dates)

    assert only_ticks_and_dates_differ(note, after)
    assert after.encode("utf-8").startswith(b"\xef\xbb\xbf") == note.startswith(
        "\ufeff"
    )


@settings(max_examples=300, deadline=None)
@given(notes(), completed_sets, st.booleans())
def test_a_second_run_changes_nothing(
    note: str, done: set[str], with_dates: bool
) -> None:
    once = tick(note, done, with_dates)

    assert tick(once, done, with_dates) == once


@settings(max_examples=300, deadline=None)
@given(notes(), completed_sets, completed_sets, st.booleans())
def test_ticking_is_monotone(
    note: str, first: set[str], more: set[str], with_dates: bool
) -> None:
    both = first | more
    step_by_step = tick(tick(note, first, with_dates), both, with_dates)

    assert step_by_step == tick(note, both, with_dates)
    assert tick(note, set(), with_dates) == note


@settings(max_examples=200, deadline=None)
@given(notes(), completed_sets)
def test_a_ticked_or_custom_status_is_never_changed(note: str, done: set[str]) -> None:
    after = tick(note, done, with_dates=True)

    for old, new in zip(split_lines(note), split_lines(after), strict=True):
        if old != new:
            assert "[ ]" in old


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.text(), task_line), min_size=1, max_size=10).map("\n".join),
    completed_sets,
)
def test_any_text_at_all_keeps_the_same_guarantees(note: str, done: set[str]) -> None:
    after = tick(note, done, with_dates=True)

    assert only_ticks_and_dates_differ(note, after)
    assert tick(after, done, with_dates=True) == after
