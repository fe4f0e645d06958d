"""Order, check and draw the DAGs of the workbook's pipelines.

A DAG here is a mapping from each task to the tasks it depends on (its upstream
tasks), the same convention as :class:`graphlib.TopologicalSorter`::

    {"extract": set(), "clean": {"extract"}, "report": {"clean"}}

How :func:`topological_layers` works (Kahn's algorithm, one layer at a time):

1. Check that every dependency is itself a task; list every unknown one at once.
2. Count each task's unfinished dependencies. Layer 0 holds the tasks with none.
3. "Run" a layer: every task that depended on it has one fewer unfinished
   dependency; those reaching zero form the next layer. Repeat until no task is ready.
4. Tasks left over all wait, directly or not, on each other: there is a cycle.
   :func:`find_cycle` walks the dependencies depth first to name one, and
   :class:`DagCycleError` reports it as ``a → b → a``.

The tasks of a layer do not depend on each other, so an orchestrator may run them in
parallel; the number of layers is the length of the longest chain of tasks.

:func:`draw_dag` lays the graph out left to right, one column per layer, orders the
tasks of each column by the mean height of their upstream tasks (fewer crossing
arrows), and draws an arrow from every dependency to the task that needs it. An arrow
that points backwards (a proposed edge that would close a loop) leaves its box
vertically, runs along a horizontal lane above (or below) every box it passes, and
drops into its target, so it can never seem to end at a box on its way.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.patches import ConnectionStyle
    from matplotlib.text import Text

log = logging.getLogger(__name__)

Graph = Mapping[str, Collection[str]]

NODE_COLOUR = "#dbe9f6"
HIGHLIGHT_COLOUR = "#f8c9c4"
EDGE_COLOUR = "#4a5a6a"
HIGHLIGHT_EDGE_COLOUR = "#cf222e"

# How far (in rows) a backward arrow's lane runs beyond the outermost box it passes.
LANE_GAP = 0.5


class DagError(ValueError):
    """The graph is not a valid DAG of tasks."""


class DagCycleError(DagError):
    """The graph has a cycle, so no task order satisfies every dependency.

    Attributes:
        cycle: One cycle as a closed path, e.g. ``["a", "b", "a"]``.
    """

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        path = " → ".join(cycle)
        super().__init__(
            f"cycle found: {path}; expected a DAG (no task may depend on itself, "
            f"even through other tasks); try removing the dependency "
            f"{cycle[-2]!r} → {cycle[-1]!r} or another edge of that loop"
        )


def edges(graph: Graph) -> list[tuple[str, str]]:
    """Return every edge as ``(upstream, downstream)``, sorted."""
    return sorted(
        {
            (upstream, task)
            for task, upstreams in graph.items()
            for upstream in upstreams
        }
    )


def check_dependencies(graph: Graph) -> None:
    """Raise :class:`DagError` listing every dependency that is not a task.

    Raises:
        DagError: naming each unknown dependency and the tasks that ask for it.
    """
    unknown = sorted(
        (task, upstream)
        for task, upstreams in graph.items()
        for upstream in set(upstreams)
        if upstream not in graph
    )
    if not unknown:
        return
    offenders = ", ".join(f"{task!r} needs {upstream!r}" for task, upstream in unknown)
    raise DagError(
        f"unknown dependencies: {offenders}; expected every dependency to be a task "
        f"of the graph; try fixing the name or adding the task"
    )


def find_cycle(graph: Graph) -> list[str] | None:
    """Return one cycle as a closed path (``["a", "b", "a"]``), or None.

    Follows dependencies depth first; meeting a task that is still on the current
    path closes a loop. Dependencies that are not tasks are ignored.
    """
    finished: set[str] = set()
    for start in sorted(graph):
        if start in finished:
            continue
        path: list[str] = [start]
        on_path = {start}
        pending = [iter(sorted(graph[start]))]

        while pending:
            upstream = next(pending[-1], None)
            if upstream is None:
                finished.add(path[-1])
                on_path.discard(path.pop())
                pending.pop()
                continue

            if upstream in on_path:
                loop = path[path.index(upstream) :] + [upstream]
                return list(reversed(loop))  # in the direction data flows
            if upstream in finished or upstream not in graph:
                continue
            path.append(upstream)
            on_path.add(upstream)
            pending.append(iter(sorted(graph[upstream])))
    return None


def topological_layers(graph: Graph) -> list[list[str]]:
    """Group tasks into layers: each task comes after every task it depends on.

    Tasks in one layer are sorted by name, so the result is deterministic.

    Raises:
        DagError: when a dependency is not a task of the graph.
        DagCycleError: when the dependencies form a cycle.
    """
    check_dependencies(graph)

    remaining = {task: len(set(upstreams)) for task, upstreams in graph.items()}
    downstream: dict[str, list[str]] = {task: [] for task in graph}
    for upstream, task in edges(graph):
        downstream[upstream].append(task)

    layers: list[list[str]] = []
    ready = sorted(task for task, count in remaining.items() if count == 0)
    while ready:
        layers.append(ready)
        unlocked: list[str] = []
        for task in ready:
            for child in downstream[task]:
                remaining[child] -= 1
                if remaining[child] == 0:
                    unlocked.append(child)
        ready = sorted(unlocked)

    placed = sum(len(layer) for layer in layers)
    if placed < len(graph):
        cycle = find_cycle(graph)
        if cycle is None:  # cannot happen for a finite graph; keep the error honest
            raise DagError("some tasks never became ready, but no cycle was found")
        raise DagCycleError(cycle)
    log.debug("%d tasks in %d layers", placed, len(layers))
    return layers


def topological_order(graph: Graph) -> list[str]:
    """Return one valid run order: the layers of :func:`topological_layers`, flat."""
    return [task for layer in topological_layers(graph) for task in layer]


def layered_positions(graph: Graph) -> dict[str, tuple[float, float]]:
    """Place each task at ``(layer, height)`` for a left-to-right drawing.

    Each column is centred on 0. Within a column, tasks are ordered by the mean
    height of their upstream tasks, then by name.
    """
    positions: dict[str, tuple[float, float]] = {}
    for depth, layer in enumerate(topological_layers(graph)):

        def mean_upstream_height(task: str) -> float:
            heights = [positions[upstream][1] for upstream in graph[task]]
            return -sum(heights) / len(heights) if heights else 0.0

        ordered = sorted(layer, key=lambda task: (mean_upstream_height(task), task))
        top = (len(ordered) - 1) / 2
        for row, task in enumerate(ordered):
            positions[task] = (float(depth), top - row)
    return positions


def _lane_connection(ax: Axes, lane_height: float) -> ConnectionStyle:
    """Return a connection style routing an arrow along a horizontal lane.

    The arrow leaves its start vertically, turns (with rounded corners) onto the
    lane at ``lane_height`` (data units of ``ax``), runs along it and turns down (or
    up) into its end. The lane is placed when the figure is drawn, so it stays at
    the same height of the axes however the figure is resized.
    """
    from matplotlib.patches import ConnectionStyle
    from matplotlib.path import Path

    class LaneConnection(ConnectionStyle._Base):
        def __init__(self, lane_height: float) -> None:
            self.lane_height = lane_height

        def connect(self, posA: tuple[float, float], posB: tuple[float, float]) -> Path:
            (x_start, y_start), (x_end, y_end) = posA, posB
            lane = float(ax.transData.transform((0.0, self.lane_height))[1])
            across = 1.0 if x_end >= x_start else -1.0
            rise_start = 1.0 if lane >= y_start else -1.0
            rise_end = 1.0 if lane >= y_end else -1.0
            corner = min(
                10.0,
                abs(x_end - x_start) / 2,
                abs(lane - y_start),
                abs(lane - y_end),
            )
            vertices = [
                (x_start, y_start),
                (x_start, lane - rise_start * corner),
                (x_start, lane),
                (x_start + across * corner, lane),
                (x_end - across * corner, lane),
                (x_end, lane),
                (x_end, lane - rise_end * corner),
                (x_end, y_end),
            ]
            codes = [
                Path.MOVETO,
                Path.LINETO,
                Path.CURVE3,
                Path.CURVE3,
                Path.LINETO,
                Path.CURVE3,
                Path.CURVE3,
                Path.LINETO,
            ]
            return Path(vertices, codes)

    return LaneConnection(lane_height)


def draw_dag(
    graph: Graph,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    highlight: Iterable[str] = (),
    highlight_edges: Iterable[tuple[str, str]] = (),
) -> Axes:
    """Draw the DAG left to right, one column per layer, arrows along data flow.

    Args:
        graph: Task → the tasks it depends on.
        ax: Axes to draw into; a new figure sized to the graph when None.
        title: Shown above the drawing.
        highlight: Tasks drawn in red (e.g. the tasks on a cycle, or failed ones).
        highlight_edges: ``(upstream, downstream)`` edges drawn in red. An edge that
            is not in ``graph`` is drawn dashed: a dependency someone wants to add.

    Returns:
        The Axes holding the drawing.

    Raises:
        DagError: when a dependency is not a task of the graph.
        DagCycleError: when the graph has a cycle (it has no layers to draw).
    """
    import matplotlib.pyplot as plt

    positions = layered_positions(graph)
    marked_tasks = set(highlight)
    marked_edges = set(highlight_edges)
    unknown = {task for edge in marked_edges for task in edge} - set(graph)
    if unknown:
        raise DagError(
            f"highlight_edges name tasks not in the graph: {sorted(unknown)}; "
            f"expected edges between tasks of the graph"
        )

    # Size the figure to the graph: a column per layer, a row per task of the
    # widest layer.
    tasks_per_layer = Counter(int(x) for x, _ in positions.values())
    columns = len(tasks_per_layer) or 1
    rows = max(tasks_per_layer.values(), default=1)
    if ax is None:
        _, ax = plt.subplots(
            figsize=(max(4.0, 2.2 * columns), max(2.5, 1.0 * rows + 1.6))
        )

    heights_by_column: dict[float, list[float]] = {}
    for x, y in positions.values():
        heights_by_column.setdefault(x, []).append(y)

    def is_outermost(task: str, *, top: bool) -> bool:
        x, y = positions[task]
        column = heights_by_column[x]
        return y == (max(column) if top else min(column))

    # Boxes first, so the arrows can be clipped to their edges.
    boxes: dict[str, Text] = {}
    for task, (x, y) in positions.items():
        colour = HIGHLIGHT_COLOUR if task in marked_tasks else NODE_COLOUR
        boxes[task] = ax.text(
            x,
            y,
            task,
            ha="center",
            va="center",
            fontsize=9,
            zorder=3,
            bbox={
                "boxstyle": "round,pad=0.4",
                "facecolor": colour,
                "edgecolor": "#333",
            },
        )

    # One arrow per dependency, from the upstream box's right edge to the left edge
    # of the task that needs it. Arrows anchor on the boxes themselves (fractions of
    # each label's extent), so they meet the boxes however the figure is resized.
    # An arrow that skips layers along a row leaves from the top of the boxes and
    # bends upwards so it does not hide behind other boxes; a long diagonal bows
    # away from the middle rows, where most boxes sit. An arrow pointing backwards
    # runs in a lane above every box of the columns it spans, or below them when a
    # box sits on top of one of its two ends (its vertical legs would cross it).
    arcs_above = False
    lanes: list[float] = []
    for upstream, task in sorted(set(edges(graph)) | marked_edges):
        (x_from, y_from), (x_to, y_to) = positions[upstream], positions[task]
        is_extra = upstream not in graph[task]
        connection: str | ConnectionStyle
        if x_to < x_from:
            spanned = [
                y
                for x, heights in heights_by_column.items()
                if x_to <= x <= x_from
                for y in heights
            ]
            both_on_top = is_outermost(upstream, top=True) and is_outermost(
                task, top=True
            )
            both_at_bottom = is_outermost(upstream, top=False) and is_outermost(
                task, top=False
            )
            goes_below = both_at_bottom and not both_on_top
            lane = min(spanned) - LANE_GAP if goes_below else max(spanned) + LANE_GAP
            lanes.append(lane)
            edge_y = 0.0 if goes_below else 1.0
            leave, arrive = (0.5, edge_y), (0.5, edge_y)
            connection = _lane_connection(ax, lane)
        else:
            goes_over = x_to == x_from or (
                x_to - x_from > 1 and abs(y_to - y_from) < 0.5
            )
            leave, arrive = (
                ((0.5, 1.0), (0.5, 1.0)) if goes_over else ((1, 0.5), (0, 0.5))
            )
            if goes_over:
                bend = 0.2 if x_to == x_from else -0.25
            elif x_to - x_from > 1:  # a long diagonal bows away from the middle rows
                bend = 0.12 if y_from + y_to < 0 else -0.12
            else:
                bend = 0.0
            arcs_above = arcs_above or goes_over
            connection = f"arc3,rad={bend}"
        marked = (upstream, task) in marked_edges
        ax.annotate(
            "",
            xy=arrive,
            xycoords=boxes[task],
            xytext=leave,
            textcoords=boxes[upstream],
            zorder=2,
            arrowprops={
                "arrowstyle": "-|>",
                "color": HIGHLIGHT_EDGE_COLOUR if marked else EDGE_COLOUR,
                "linewidth": 1.8 if marked else 1.1,
                "linestyle": "--" if is_extra else "-",
                "shrinkA": 5,
                "shrinkB": 5,
                "connectionstyle": connection,
                "mutation_scale": 14,
            },
        )

    ax.set_xlim(-0.6, columns - 0.4)
    headroom = 1.2 if arcs_above else 0.7
    top = max([(rows - 1) / 2 + headroom, *(lane + 0.35 for lane in lanes)])
    bottom = min([-(rows - 1) / 2 - 0.7, *(lane - 0.35 for lane in lanes)])
    ax.set_ylim(bottom, top)
    ax.set_xticks(range(columns))
    ax.set_xticklabels([f"layer {depth}" for depth in range(columns)])
    ax.tick_params(axis="x", length=0)
    ax.set_yticks([])
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title)
    return ax
