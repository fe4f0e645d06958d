"""The note parser finds exactly the task lines Obsidian renders, with their parts."""

import pytest

from toolkit.progress.note import describe, parse_tasks, split_lines


def statuses(text: str) -> list[str]:
    return [task.status for task in parse_tasks(text)]


def descriptions(text: str) -> list[str]:
    return [task.description for task in parse_tasks(text)]


@pytest.mark.parametrize(
    "text",
    ["a\nb\n", "a\r\nb\r\n", "no newline at end", "", "\n\n", "x\r\ny\nz", "\ufeffa\n"],
)
def test_split_lines_keeps_every_character(text: str) -> None:
    assert "".join(split_lines(text)) == text


def test_split_lines_keeps_a_lone_carriage_return_inside_its_line() -> None:
    assert split_lines("a\rb\nc") == ["a\rb\n", "c"]


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("- [ ] open", " "),
        ("- [x] done", "x"),
        ("* [X] done upper", "X"),
        ("+ [/] in progress", "/"),
        ("1. [-] cancelled", "-"),
        ("12) [>] forwarded", ">"),
        ("    - [ ] nested under another item", " "),
        ("\t- [ ] nested with a tab", " "),
        ("> - [ ] inside a callout", " "),
        ("> > - [ ] inside a nested callout", " "),
        ("- [ ]", " "),
    ],
)
def test_when_line_is_a_list_item_with_a_status_then_it_is_a_task(
    line: str, status: str
) -> None:
    assert statuses(line + "\n") == [status]


@pytest.mark.parametrize(
    "line",
    [
        "[ ] no list marker",
        "-[ ] no space after the marker",
        "- [] empty brackets",
        "- [ab] two characters",
        "- [ ]no space after the brackets",
        "> [!todo] a callout title",
        "    plain indented text",
        "## - [ ] a heading",
    ],
)
def test_when_line_is_not_a_task_then_it_is_skipped(line: str) -> None:
    assert parse_tasks(line + "\n") == []


def test_frontmatter_tasks_are_skipped() -> None:
    text = "---\ntags: [a]\nnote: - [ ] not a task\n---\n- [ ] real\n"

    assert descriptions(text) == ["real"]


def test_frontmatter_after_a_bom_is_still_frontmatter() -> None:
    text = "\ufeff---\nx: - [ ] hidden\n---\n- [ ] real\n"

    assert descriptions(text) == ["real"]


def test_a_rule_on_the_first_line_without_a_closing_one_is_not_frontmatter() -> None:
    assert descriptions("---\n- [ ] real\n") == ["real"]


@pytest.mark.parametrize(
    "fenced",
    [
        "```\n- [ ] hidden\n```\n",
        "```markdown\n- [ ] hidden\n```\n",
        "~~~\n- [ ] hidden\n```\n- [ ] still hidden\n~~~\n",
        "````\n```\n- [ ] hidden\n````\n",
        "> ```\n> - [ ] hidden in a callout\n> ```\n",
        "- item\n  ```\n  - [ ] hidden in a list item\n  ```\n",
        "%%\n- [ ] hidden in a comment\n%%\n",
        "%% start\n- [ ] hidden\nend %%\n",
        "<!--\n- [ ] hidden in an HTML comment\n-->\n",
        "<!-- start\n- [ ] hidden\n```\nend -->\n",
    ],
)
def test_tasks_in_code_blocks_and_comments_are_skipped(fenced: str) -> None:
    assert descriptions("- [ ] before\n" + fenced + "- [ ] after\n") == [
        "before",
        "after",
    ]


def test_an_inline_comment_on_one_line_does_not_hide_the_next_lines() -> None:
    text = "- [ ] a %% note %%\n- [ ] b <!-- note -->\n- [ ] c\n"

    assert descriptions(text) == ["a", "b", "c"]


def test_block_id_is_read_from_the_end_of_the_line() -> None:
    (task,) = parse_tasks("- [ ] Ingest raw data ^wb-03-01\n")

    assert task.block_id == "wb-03-01"
    assert task.description == "Ingest raw data"


def test_a_caret_inside_the_text_is_not_a_block_id() -> None:
    (task,) = parse_tasks("- [ ] x^2 grows ^abc\n")

    assert task.block_id == "abc"
    assert task.description == "x^2 grows"


@pytest.mark.parametrize(
    "fields",
    [
        " ⏫",
        " 🔼 📅 2025-05-01",
        " 🔁 every week 📅 2025-05-01",
        " 🛫 2025-01-01 ⏳ 2025-01-02 ➕ 2024-12-31",
        " #learning #roadmap",
        " [due:: 2025-05-01]",
        " ✅ 2025-05-02",
    ],
)
def test_tasks_fields_and_trailing_tags_are_not_part_of_the_description(
    fields: str,
) -> None:
    (task,) = parse_tasks(f"- [ ] Deploy model{fields} ^wb-03-07\n")

    assert task.description == "Deploy model"


def test_done_date_goes_after_the_fields_and_before_the_block_id() -> None:
    text = "- [ ] Deploy model ⏫ 📅 2025-05-01 ^wb-03-07\r\n"
    (task,) = parse_tasks(text)

    assert text[: task.date_offset].endswith("2025-05-01")
    assert text[task.date_offset :] == " ^wb-03-07\r\n"


def test_done_date_goes_before_trailing_spaces_and_the_line_ending() -> None:
    text = "- [ ] Deploy model  \r\n"
    (task,) = parse_tasks(text)

    assert text[task.date_offset :] == "  \r\n"


def test_status_offset_points_at_the_status_character() -> None:
    text = "\ufeffintro\r\n> - [/] callout task\r\n"
    (task,) = parse_tasks(text)

    assert text[task.status_offset] == "/"
    assert task.number == 2


def test_existing_done_date_is_noticed() -> None:
    (dated, undated) = parse_tasks("- [x] a ✅ 2025-01-01\n- [x] b\n")

    assert dated.has_done_date
    assert not undated.has_done_date


def test_describe_keeps_arrows_and_punctuation_of_the_roadmap_wording() -> None:
    wording = "Understand what a pipeline is (data → transform → output)"

    assert describe(f"  {wording}  ") == wording
