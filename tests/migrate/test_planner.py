import pytest

from toolkit.analysis.source import load_source
from toolkit.migrate.planner import MigrationRefused, plan_migration

from .conftest import FIXTURES


def plan_of(name: str):
    return plan_migration(load_source(FIXTURES / name))


def edges(plan) -> set[tuple[str, str]]:
    return {(required, step.name) for step in plan.steps for required in step.requires}


def test_when_step_mutates_in_place_then_edge_follows_mutation():
    plan = plan_of("inplace_mutation.py")
    load, drop, write = plan.steps
    assert write.inputs == {"frame": drop.name}
    assert (drop.name, write.name) in edges(plan)
    assert "frame" in drop.outputs


def test_when_helper_mutates_argument_then_consumer_reads_the_mutated_value():
    plan = plan_of("helper_mutation.py")
    names = [step.name for step in plan.steps]
    assert names == ["Load", "AddFlag", "Save"]
    assert plan.steps[2].inputs == {"table": "AddFlag"}


def test_when_step_reads_a_file_another_writes_then_it_depends_on_the_writer():
    plan = plan_of("file_flow.py")
    stage, reread = plan.steps
    assert reread.inputs == {}
    assert reread.requires == [stage.name]


def test_when_step_reads_a_sqlite_table_another_fills_then_it_depends_on_it():
    plan = plan_of("sqlite_flow.py")
    fill, aggregate, write = plan.steps
    assert aggregate.requires == [fill.name]
    assert "conn" not in aggregate.inputs


def test_when_loop_spans_lines_then_one_step_holds_the_whole_loop():
    plan = plan_of("loop_step.py")
    (summing,) = [step for step in plan.steps if "Loop" in step.name]
    assert (summing.first_line, summing.last_line) == (9, 14)


def test_when_steps_are_independent_then_they_have_no_edge():
    plan = plan_of("branches.py")
    left, right, join = plan.steps
    assert left.requires == [] and right.requires == []
    assert set(join.requires) == {left.name, right.name}
    assert plan.sinks == [join.name]


def test_when_global_random_state_flows_then_steps_merge_into_one():
    plan = plan_of("random_state.py")
    assert len(plan.steps) == 1
    assert any("cannot be passed between tasks" in w for w in plan.warnings)


def test_when_script_seeds_the_global_generator_then_every_task_seeds_it():
    plan = plan_of("random_state.py")
    assert plan.layout.definitions[-1].lineno == 4
    assert any(w.startswith("line 4 seeds the global random") for w in plan.warnings)


def test_when_argparse_options_then_parameters_keep_types_and_defaults():
    plan = plan_of("argparse_defaults.py")
    found = {(p.name, p.type, p.default, p.target) for p in plan.parameters}
    assert found == {
        ("factor", "int", 3, "--factor"),
        ("label", "str", "run", "--label"),
        ("loud", "bool", False, "--loud"),
    }


def test_when_environment_variables_then_they_become_parameters():
    plan = plan_of("env_vars.py")
    found = {(p.name, p.default, p.source) for p in plan.parameters}
    assert found == {("greeting", "hello", "env"), ("audience", "world", "env")}


def test_when_clock_value_then_parameter_has_no_import_time_default():
    plan = plan_migration(
        load_source(
            FIXTURES.parent.parent.parent / "legacy_scripts" / "sensor_cleaner.py"
        )
    )
    (clock,) = [p for p in plan.parameters if p.source == "clock"]
    assert (clock.name, clock.default, clock.type) == ("run_date", None, "str")


def test_when_parameter_name_clashes_with_luigi_then_it_is_renamed():
    plan = plan_migration(
        load_source(
            FIXTURES.parent.parent.parent / "legacy_scripts" / "sensor_cleaner.py"
        )
    )
    names = {p.name for p in plan.parameters}
    assert "input_option" in names and "input" not in names


def test_when_markers_exist_then_they_decide_the_steps():
    plan = plan_of("markers.py")
    assert [step.name for step in plan.steps] == ["Load", "Write"]


def test_when_notebook_has_headings_then_headings_make_the_steps():
    plan = plan_of("notebook_etl.ipynb")
    assert [step.name for step in plan.steps] == ["LoadTheNumbers", "Save"]
    assert plan.steps[1].inputs == {"frame": "LoadTheNumbers"}


def test_when_script_uses_dynamic_code_then_every_offender_is_listed():
    with pytest.raises(MigrationRefused, match=r"4 construct\(s\) block") as refused:
        plan_of("refused.py")
    where = [offender.where.rsplit(":", 1)[1] for offender in refused.value.offenders]
    constructs = [offender.construct for offender in refused.value.offenders]
    assert where == ["1", "4", "5", "6"]
    assert constructs == ["from os.path *", "eval(...)", "exec(...)", "globals()"]
    assert all(
        o.doc.startswith("docs/limitations/migrate-") for o in refused.value.offenders
    )


def test_every_refusal_links_a_page_that_exists():
    from toolkit.migrate.planner import LIMITATIONS_URL, REFUSALS

    root = FIXTURES.parent.parent.parent
    for _, _, slug in REFUSALS.values():
        assert (root / LIMITATIONS_URL.format(slug=slug)).is_file(), slug


def test_when_a_step_may_leave_a_name_alone_then_the_old_value_passes_through_it():
    plan = plan_of("conditional_rebind.py")
    first, maybe, use = plan.steps
    assert maybe.inputs == {"mode": first.name}
    assert "mode" in maybe.outputs
    assert use.inputs == {"mode": maybe.name}


def test_when_a_step_may_exit_early_then_the_migration_warns():
    plan = plan_of("early_exit.py")
    assert any(w.startswith("line 6 may end the script early") for w in plan.warnings)


def test_when_two_loops_share_a_loop_variable_nothing_reads_then_they_are_independent():
    plan = plan_of("shared_loop_variable.py")
    left, right, join = plan.steps
    assert right.requires == []
    assert right.inputs == {}
    assert "index" not in left.outputs
    assert join.inputs == {"left": left.name, "right": right.name}


def test_when_a_later_step_reads_the_shared_loop_variable_then_it_passes_through():
    plan = plan_of("loop_variable_read_later.py")
    left, right, join = plan.steps
    assert right.inputs == {"index": left.name}
    assert join.inputs == {"index": right.name, "left": left.name, "right": right.name}


def test_when_a_step_may_delete_a_name_then_it_receives_the_name_first():
    plan = plan_of("conditional_delete.py")
    make, drop, write = plan.steps
    assert drop.inputs == {"items": make.name}
    assert write.inputs == {}
