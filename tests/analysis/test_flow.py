import ast

from toolkit.analysis.flow import (
    GLOBAL_RANDOM_STATE,
    READ,
    WRITE,
    analyse_block,
    summarise_module,
)


def flow_of(source: str, index: int = -1):
    tree = ast.parse(source)
    module = summarise_module(tree)
    return analyse_block([tree.body[index]], module)


def test_when_assigned_then_name_is_bound_not_read():
    flow = flow_of("import pandas as pd\nframe = pd.read_csv('a.csv')")
    assert "frame" in flow.assigns
    assert "frame" not in flow.reads


def test_when_inplace_keyword_then_receiver_is_mutated_and_read():
    flow = flow_of("frame.dropna(inplace=True)")
    assert flow.mutates == {"frame"}
    assert "frame" in flow.reads


def test_when_inplace_is_false_then_receiver_is_not_mutated():
    flow = flow_of("clean = frame.dropna(inplace=False)")
    assert "frame" not in flow.mutates


def test_when_item_or_attribute_is_stored_then_base_name_is_mutated():
    assert flow_of("frame['x'] = 1").mutates == {"frame"}
    assert flow_of("config.level = 3").mutates == {"config"}
    assert flow_of("frame.loc[frame.a > 1, 'b'] = 0").mutates == {"frame"}


def test_when_augmented_assignment_then_name_is_read_and_written():
    flow = flow_of("total += 1")
    assert "total" in flow.reads
    assert "total" in flow.writes


def test_when_list_append_then_list_is_mutated():
    assert flow_of("rows.append(row)").mutates == {"rows"}


def test_when_pure_method_then_receiver_is_not_mutated():
    assert flow_of("summary = frame.groupby('a').sum()").mutates == frozenset()


def test_when_helper_mutates_its_parameter_then_argument_is_mutated():
    source = "def flag(table):\n    table['f'] = 1\n\nflag(orders)"
    assert flow_of(source).mutates == {"orders"}


def test_when_helper_mutates_through_another_helper_then_argument_is_mutated():
    source = (
        "def inner(t):\n    t.sort_values('a', inplace=True)\n\n"
        "def outer(t):\n    inner(t)\n\nouter(orders)"
    )
    assert "orders" in flow_of(source).mutates


def test_when_callee_is_unknown_then_arguments_may_be_mutated():
    source = "from somewhere import mystery\nmystery(orders, 3)"
    assert flow_of(source).mutates == {"orders"}


def test_when_callee_is_a_known_pure_library_then_arguments_are_not_mutated():
    source = "import pandas as pd\ncombined = pd.concat(frames)"
    assert flow_of(source).mutates == frozenset()


def test_when_function_mutates_module_state_then_call_mutates_it():
    source = "STATE = {}\n\ndef bump():\n    STATE['n'] = 1\n\nbump()"
    flow = flow_of(source)
    assert "STATE" in flow.mutates
    assert "STATE" in flow.reads


def test_when_function_declares_global_then_call_assigns_it():
    source = "def reset():\n    global COUNT\n    COUNT = 0\n\nreset()"
    assert "COUNT" in flow_of(source).assigns


def test_when_comprehension_variable_then_it_is_not_an_outer_read():
    flow = flow_of("squares = [x * x for x in values]")
    assert flow.reads == {"values"}


def test_when_name_is_bound_only_in_a_branch_then_later_read_still_counts():
    flow = flow_of("if flag:\n    x = 1\nprint(x)", index=0)
    assert "x" in flow.assigns
    tree = ast.parse("if flag:\n    x = 1\nprint(x)")
    both = analyse_block(tree.body, summarise_module(tree))
    assert "x" in both.reads


def test_when_path_uses_constants_then_it_is_resolved():
    source = (
        "import os\nimport pandas as pd\nDATA = 'data'\n"
        "frame = pd.read_csv(os.path.join(DATA, 'orders.csv'))"
    )
    (access,) = flow_of(source).files
    assert (access.path, access.mode) == ("data/orders.csv", READ)


def test_when_helper_takes_the_path_then_call_site_resolves_it():
    source = (
        "import pandas as pd\n\ndef save(frame, path):\n"
        "    frame.to_csv(path)\n\nsave(table, f'out/{\"x\"}.csv')"
    )
    source = source.replace("f'out/{\"x\"}.csv'", "'out/x.csv'")
    (access,) = flow_of(source).files
    assert (access.path, access.mode) == ("out/x.csv", WRITE)


def test_when_path_comes_from_data_then_it_is_dynamic():
    (access,) = flow_of("import pandas as pd\nframe = pd.read_csv(name)").files
    assert access.path is None


def test_when_write_is_under_a_branch_then_it_is_conditional():
    source = "if ok:\n    frame.to_csv('a.csv')"
    (access,) = flow_of(source).files
    assert access.conditional


def test_when_sql_runs_then_tables_are_read_and_written():
    source = (
        "import sqlite3\nconn = sqlite3.connect('w.db')\n"
        "conn.execute('INSERT INTO totals SELECT * FROM sales')"
    )
    tables = {(t.table, t.mode, t.database) for t in flow_of(source).tables}
    assert tables == {("sales", READ, "w.db"), ("totals", WRITE, "w.db")}


def test_when_global_random_is_used_then_hidden_state_is_read_and_mutated():
    flow = flow_of("import random\nvalue = random.random()")
    assert GLOBAL_RANDOM_STATE in flow.reads
    assert GLOBAL_RANDOM_STATE in flow.mutates


def test_when_clock_is_read_then_name_is_a_now_name():
    flow = flow_of("from datetime import date\ntoday = date.today().isoformat()")
    assert flow.now_names == {"today"}


def test_when_exec_eval_or_globals_then_constructs_are_reported():
    tree = ast.parse("exec(code)\nx = eval(text)\nnames = globals()")
    flow = analyse_block(tree.body, summarise_module(tree))
    assert [c.kind for c in flow.constructs] == ["exec", "eval", "namespace"]


def test_when_loop_variable_is_mutated_then_the_container_is_mutated():
    source = (
        "def fill(totals):\n    for i, total in enumerate(totals):\n"
        "        total.add(i)\n\nfill(items)"
    )
    assert flow_of(source).mutates == {"items"}


def test_when_plain_alias_is_mutated_then_its_owner_is_mutated():
    tree = ast.parse("first = rows[0]\nfirst['seen'] = True")
    flow = analyse_block(tree.body, summarise_module(tree))
    assert "rows" in flow.mutates


def test_when_loop_variable_is_read_in_the_body_then_it_is_not_an_outer_read():
    tree = ast.parse("for seed in range(3):\n    total = seed * 2\nprint(seed)")
    body = analyse_block(tree.body[:1], summarise_module(tree))
    assert "seed" not in body.reads
    both = analyse_block(tree.body, summarise_module(tree))
    assert "seed" in both.reads  # after the loop it may still be unbound


def block_of(source: str):
    tree = ast.parse(source)
    return analyse_block(tree.body, summarise_module(tree))


def test_when_name_is_deleted_then_it_is_read_and_surely_left_unbound():
    flow = flow_of("del cache")
    assert flow.reads == {"cache"}
    assert flow.definitely_deletes == {"cache"}
    assert "cache" not in flow.assigns
    assert "cache" not in flow.writes


def test_when_name_is_bound_then_deleted_in_one_block_then_nothing_is_read_or_kept():
    flow = block_of("cache = load()\ncache.warm()\ndel cache")
    assert "cache" not in flow.reads
    assert "cache" not in flow.writes
    assert flow.definitely_deletes == {"cache"}


def test_when_name_is_deleted_then_bound_again_then_the_block_holds_a_value():
    flow = block_of("del cache\ncache = {}")
    assert flow.reads == {"cache"}
    assert flow.definitely_deletes == frozenset()
    assert "cache" in flow.definitely_assigns


def test_when_name_is_deleted_under_a_branch_then_its_old_value_may_pass_through():
    flow = flow_of("if stale:\n    del cache")
    assert flow.reads == {"cache", "stale"}
    assert flow.deletes == {"cache"}
    assert flow.definitely_deletes == frozenset()
    assert "cache" in flow.maybe_keeps


def test_when_item_is_deleted_then_the_container_and_the_key_are_read():
    flow = flow_of("del rows[position]")
    assert flow.mutates == {"rows"}
    assert flow.reads == {"rows", "position"}
    assert flow.deletes == frozenset()


def test_when_attribute_is_deleted_then_the_object_is_mutated():
    flow = flow_of("del config.level")
    assert flow.mutates == {"config"}
    assert "config" in flow.reads
    assert flow.deletes == frozenset()


def test_when_helper_deletes_an_item_of_its_parameter_then_the_argument_is_mutated():
    source = "def forget(settings):\n    del settings['token']\n\nforget(config)"
    flow = flow_of(source)
    assert flow.mutates == {"config"}
    assert "config" in flow.reads


def test_when_helper_deletes_a_global_then_the_call_reads_it_and_may_rebind_it():
    source = "def reset():\n    global cache\n    del cache\n\nreset()"
    flow = flow_of(source)
    assert "cache" in flow.reads
    assert "cache" in flow.maybe_keeps
