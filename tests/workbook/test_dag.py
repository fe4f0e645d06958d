import graphlib

import matplotlib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.text import Annotation

from toolkit.workbook.dag import (
    DagCycleError,
    DagError,
    draw_dag,
    edges,
    find_cycle,
    layered_positions,
    topological_layers,
    topological_order,
)

matplotlib.use("Agg")

DIAMOND = {"extract": set(), "left": {"extract"}, "right": {"extract"}}
DIAMOND = {**DIAMOND, "join": {"left", "right"}}


@st.composite
def random_dags(draw: st.DrawFn) -> dict[str, set[str]]:
    """A DAG whose task i may only depend on tasks before it (so never a cycle)."""
    size = draw(st.integers(min_value=0, max_value=12))
    names = [f"t{index}" for index in range(size)]
    graph: dict[str, set[str]] = {}
    for index, name in enumerate(names):
        graph[name] = draw(st.sets(st.sampled_from(names[:index]))) if index else set()
    order = draw(st.permutations(names))
    return {name: graph[name] for name in order}


def test_when_graph_is_a_diamond_then_layers_hold_parallel_tasks_together():
    assert topological_layers(DIAMOND) == [["extract"], ["left", "right"], ["join"]]


def test_when_graph_is_empty_then_there_are_no_layers():
    assert topological_layers({}) == []


def test_when_tasks_are_unconnected_then_they_share_the_first_layer():
    assert topological_layers({"b": [], "a": []}) == [["a", "b"]]


def test_when_a_dependency_is_listed_twice_then_it_counts_once():
    assert topological_layers({"a": [], "b": ["a", "a"]}) == [["a"], ["b"]]


@given(random_dags())
def test_when_graph_is_a_dag_then_every_task_comes_after_its_dependencies(graph):
    order = topological_order(graph)

    assert sorted(order) == sorted(graph)
    position = {task: index for index, task in enumerate(order)}
    for upstream, task in edges(graph):
        assert position[upstream] < position[task]


@given(random_dags())
def test_when_graph_is_a_dag_then_layer_count_is_the_longest_chain(graph):
    longest: dict[str, int] = {}
    for task in graphlib.TopologicalSorter(graph).static_order():
        longest[task] = 1 + max((longest[up] for up in graph[task]), default=0)

    assert len(topological_layers(graph)) == max(longest.values(), default=0)


def test_when_graph_has_a_loop_then_the_error_names_it_in_data_flow_order():
    graph = {"a": {"c"}, "b": {"a"}, "c": {"b"}, "d": {"c"}}

    with pytest.raises(DagCycleError, match=r"cycle found: a → b → c → a") as caught:
        topological_layers(graph)

    assert caught.value.cycle == ["a", "b", "c", "a"]


def test_when_a_task_depends_on_itself_then_the_cycle_is_that_task():
    with pytest.raises(DagCycleError, match=r"cycle found: a → a"):
        topological_layers({"a": {"a"}})


def test_when_graph_has_a_cycle_then_the_error_is_a_value_error_like_graphlib():
    with pytest.raises(ValueError, match="try removing the dependency"):
        topological_order({"a": {"b"}, "b": {"a"}})


def test_when_graph_has_no_cycle_then_find_cycle_returns_none():
    assert find_cycle(DIAMOND) is None


def test_when_dependencies_are_unknown_then_every_one_is_listed():
    graph = {"clean": {"extrat"}, "report": {"clean", "claen"}}

    with pytest.raises(
        DagError, match=r"'clean' needs 'extrat', 'report' needs 'claen'"
    ):
        topological_layers(graph)


def test_when_laid_out_then_each_task_sits_in_its_layer_column():
    positions = layered_positions(DIAMOND)

    assert positions["extract"] == (0.0, 0.0)
    assert {positions["left"][0], positions["right"][0]} == {1.0}
    assert positions["left"][1] != positions["right"][1]
    assert positions["join"][0] == 2.0


def _arrows(ax):
    return [child for child in ax.get_children() if isinstance(child, Annotation)]


def test_when_drawn_then_each_task_has_a_box_and_each_edge_an_arrow():
    ax = draw_dag(DIAMOND, title="diamond")

    labels = sorted(text.get_text() for text in ax.texts if text.get_text())
    assert labels == sorted(DIAMOND)
    assert len(_arrows(ax)) == len(edges(DIAMOND))
    assert ax.get_title() == "diamond"
    ax.figure.canvas.draw()  # the arrows anchor on the boxes: rendering must work


def test_when_tasks_are_highlighted_then_only_they_change_colour():
    ax = draw_dag(DIAMOND, highlight={"join"})

    colours = {
        text.get_text(): text.get_bbox_patch().get_facecolor()
        for text in ax.texts
        if text.get_text()
    }
    assert colours["join"] != colours["extract"]
    assert colours["left"] == colours["extract"]


def test_when_an_extra_edge_is_highlighted_then_it_is_drawn_dashed():
    ax = draw_dag(DIAMOND, highlight_edges=[("join", "extract")])

    arrows = _arrows(ax)
    assert len(arrows) == len(edges(DIAMOND)) + 1
    styles = [arrow.arrow_patch.get_linestyle() for arrow in arrows]
    assert sum(style != "-" for style in styles) == 1
    ax.figure.canvas.draw()


def test_when_a_highlighted_edge_names_an_unknown_task_then_drawing_refuses():
    with pytest.raises(DagError, match="not in the graph"):
        draw_dag(DIAMOND, highlight_edges=[("join", "nowhere")])


def test_when_graph_has_a_cycle_then_drawing_refuses_with_the_cycle():
    with pytest.raises(DagCycleError, match="a → b → a"):
        draw_dag({"a": {"b"}, "b": {"a"}})


# A wide box in the middle, between the two ends of a backward edge.
TWO_BRANCHES = {
    "extract_a": set(),
    "extract_b": set(),
    "clean_a": {"extract_a"},
    "clean_b": {"extract_b"},
    "join_both_cleaned_branches": {"clean_a", "clean_b"},
    "report": {"join_both_cleaned_branches"},
}


@pytest.mark.parametrize("target", ["clean_a", "clean_b"])
def test_when_an_edge_points_back_then_its_arrow_crosses_no_box_on_the_way(target):
    ax = draw_dag(TWO_BRANCHES, highlight_edges=[("report", target)])
    ax.figure.canvas.draw()

    dashed = [a for a in _arrows(ax) if a.arrow_patch.get_linestyle() != "-"]
    assert len(dashed) == 1
    patch = dashed[0].arrow_patch
    route = patch.get_transform().transform_path(patch.get_path())
    points = [point for polygon in route.to_polygons() for point in polygon]
    passed_boxes = {
        text.get_text(): text.get_bbox_patch().get_window_extent()
        for text in ax.texts
        if text.get_text() not in {"", "report", target}
    }
    crossed = {
        task
        for task, box in passed_boxes.items()
        if any(box.contains(x, y) for x, y in points)
    }
    assert crossed == set()
