"""Exercises of notebook 01, Foundational Concepts.

* 01.1 compose steps into a pipeline that runs them left to right;
* 01.2 name the kind of six pipelines (data, ML or ETL);
* 01.3 turn a batch count into running counts over a stream;
* 01.4 wire a source, processors and a sink lazily;
* 01.5 order a DAG's tasks and refuse a cycle.

Every verifier runs the learner's code on several small inputs, edge cases
included, and never reads the code's text.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from toolkit.exercises.core import Exercise, Mismatch

Record = dict[str, Any]
Step = Callable[[Any], Any]


def _require_callable(answer: Any, what: str) -> None:
    if not callable(answer):
        raise Mismatch(problem=f"expected {what}, got {type(answer).__name__}")


class _EndlessStream(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a test stream when code reads past the records it needs."""


def _endless(records: list[Record]) -> Iterator[Record]:
    """Yield ``records``, then fail as a stream that has no end would hang."""
    yield from records
    raise _EndlessStream


# 01.1 · Compose a pipeline ----------------------------------------------------


def _verify_compose(compose: Any) -> None:
    _require_callable(compose, "a function compose(*steps)")

    def add_one(x: int) -> int:
        return x + 1

    def double(x: int) -> int:
        return x * 2

    def drop_negative(values: list[int]) -> list[int]:
        return [value for value in values if value >= 0]

    def smallest_two(values: list[int]) -> list[int]:
        return sorted(values)[:2]

    identity = compose()
    if not callable(identity):
        raise Mismatch(
            problem=f"compose() with no steps returned {identity!r}; expected a "
            "pipeline that hands its input back unchanged"
        )
    if identity([3, 1]) != [3, 1]:
        raise Mismatch(
            problem=f"compose()([3, 1]) gave {identity([3, 1])!r}; with no steps "
            "the pipeline should hand back [3, 1]"
        )

    got = compose(str.upper)("abc")
    if got != "ABC":
        raise Mismatch(
            problem=f"compose(str.upper)('abc') gave {got!r}, expected 'ABC': "
            "is every step run, the last one included?"
        )

    got = compose(add_one, double)(3)
    if got == 7:
        raise Mismatch(
            problem="compose(add_one, double)(3) gave 7: the steps ran right to "
            "left. A pipeline runs the first step listed first: (3 + 1) * 2 = 8"
        )
    if got != 8:
        raise Mismatch(problem=f"compose(add_one, double)(3) gave {got!r}, expected 8")

    raw = [5, -1, 3, 9]
    got = compose(drop_negative, smallest_two)(raw)
    if got != [3, 5]:
        raise Mismatch(
            problem=f"compose(drop_negative, smallest_two)([5, -1, 3, 9]) gave "
            f"{got!r}, expected [3, 5]"
        )
    if raw != [5, -1, 3, 9]:
        raise Mismatch(problem="the pipeline changed its input list in place")


def _reference_compose() -> Any:
    def compose(*steps: Step) -> Step:
        def pipeline(data: Any) -> Any:
            for step in steps:  # first listed, first run
                data = step(data)
            return data

        return pipeline

    return compose


def _wrong_compose_right_to_left() -> Any:
    def compose(*steps: Step) -> Step:
        def pipeline(data: Any) -> Any:
            for step in reversed(steps):  # maths' f∘g order
                data = step(data)
            return data

        return pipeline

    return compose


def _wrong_compose_skips_last_step() -> Any:
    def compose(*steps: Step) -> Step:
        def pipeline(data: Any) -> Any:
            for index in range(len(steps) - 1):  # off by one
                data = steps[index](data)
            return data

        return pipeline

    return compose


def _wrong_compose_empty_is_none() -> Any:
    def compose(*steps: Step) -> Step | None:
        if not steps:
            return None

        def pipeline(data: Any) -> Any:
            for step in steps:
                data = step(data)
            return data

        return pipeline

    return compose


# 01.2 · Name the pipeline kind ------------------------------------------------

KINDS = ("data", "ml", "etl")

SCENARIOS: dict[str, str] = {
    "nightly_orders_to_warehouse": (
        "Every night, read yesterday's orders from the shop's PostgreSQL database, "
        "convert prices to EUR, and insert them into the analytics warehouse's "
        "`orders` table."
    ),
    "weekly_churn_retrain": (
        "Once a week, build features from the last 90 days of customer activity, "
        "fit a churn classifier, and keep it if it beats the current model's AUC."
    ),
    "pageviews_per_minute": (
        "Read web-server log lines as they arrive, drop requests made by bots, and "
        "push page views per minute to an operations dashboard."
    ),
    "score_loan_applications": (
        "For each new loan application, compute its features, ask the trained "
        "model for a default risk, and store the score next to the application."
    ),
    "crm_contacts_sync": (
        "Every hour, export the CRM's contacts, deduplicate them by e-mail address, "
        "and load the result into the marketing database."
    ),
    "monthly_sales_report": (
        "On the first of each month, sum last month's sales per region from the "
        "warehouse and e-mail the table to the regional managers."
    ),
}

_KIND_OF: dict[str, str] = {
    "nightly_orders_to_warehouse": "etl",
    "weekly_churn_retrain": "ml",
    "pageviews_per_minute": "data",
    "score_loan_applications": "ml",
    "crm_contacts_sync": "etl",
    "monthly_sales_report": "data",
}

_WHY: dict[str, str] = {
    "nightly_orders_to_warehouse": "rows are extracted from a system of record, "
    "reshaped to the target's schema and loaded into another store",
    "weekly_churn_retrain": "its product is a trained model",
    "pageviews_per_minute": "it reshapes data for people to look at and loads "
    "nothing into another store",
    "score_loan_applications": "its product is a model's predictions, whatever "
    "store they land in (an inference pipeline)",
    "crm_contacts_sync": "contacts are extracted from the CRM, cleaned and loaded "
    "into a different database that others query",
    "monthly_sales_report": "it reads the warehouse to produce a report for people; "
    "it loads nothing into another store",
}


def _normalise_kind(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip().lower().removesuffix("pipeline").strip()
    return {"machine learning": "ml", "ml/ai": "ml"}.get(text, text)


def _verify_kinds(answer: Any) -> None:
    if not isinstance(answer, Mapping):
        raise Mismatch(
            problem=f"expected a dict from scenario name to one of {KINDS}, "
            f"got {type(answer).__name__}"
        )
    if answer and all(value is None for value in answer.values()):
        raise NotImplementedError  # the stub, untouched

    missing = sorted(set(_KIND_OF) - set(answer))
    unknown = sorted(set(answer) - set(_KIND_OF))
    if missing or unknown:
        raise Mismatch(
            problem=f"scenarios missing: {missing or 'none'}; unknown names: "
            f"{unknown or 'none'}; keep the keys of the stub"
        )

    given = {name: _normalise_kind(value) for name, value in answer.items()}
    invalid = {name: value for name, value in given.items() if value not in KINDS}
    if invalid:
        raise Mismatch(problem=f"each kind must be one of {KINDS}; found {invalid}")

    wrong = [name for name in _KIND_OF if given[name] != _KIND_OF[name]]
    if wrong:
        reasons = "; ".join(
            f"{name} is not {given[name]!r}: {_WHY[name]}" for name in wrong
        )
        raise Mismatch(
            problem=f"{len(wrong)} of {len(_KIND_OF)} named differently. {reasons}"
        )


def _reference_kinds() -> dict[str, str]:
    return {
        "nightly_orders_to_warehouse": "etl",  # extract → conform → load elsewhere
        "weekly_churn_retrain": "ml",  # the product is a model
        "pageviews_per_minute": "data",  # reshaped for people, loaded nowhere
        "score_loan_applications": "ml",  # the product is predictions
        "crm_contacts_sync": "etl",  # extract → clean → load into another store
        "monthly_sales_report": "data",  # a report, no load into another store
    }


def _wrong_kinds_stored_rows_are_etl() -> dict[str, str]:
    return _reference_kinds() | {"score_loan_applications": "etl"}


def _wrong_kinds_ml_only_when_training() -> dict[str, str]:
    return _reference_kinds() | {"score_loan_applications": "data"}


def _wrong_kinds_warehouse_means_etl() -> dict[str, str]:
    return _reference_kinds() | {"monthly_sales_report": "etl"}


# 01.3 · Stream what you batch -------------------------------------------------

_KIND_EVENTS: list[Record] = [
    {"kind": kind, "amount": amount}
    for kind, amount in [
        ("view", 12.0),
        ("view", 30.0),
        ("cart", 30.0),
        ("view", 8.5),
        ("purchase", 30.0),
        ("cart", 8.5),
    ]
]


def _without_zeros(counts: Mapping[str, int]) -> dict[str, int]:
    return {kind: count for kind, count in counts.items() if count}


def _verify_stream_counts(stream_kind_counts: Any) -> None:
    _require_callable(stream_kind_counts, "a function stream_kind_counts(events)")

    snapshots = list(stream_kind_counts(iter(_KIND_EVENTS)))
    if len(snapshots) != len(_KIND_EVENTS):
        raise Mismatch(
            problem=f"got {len(snapshots)} snapshot(s) for {len(_KIND_EVENTS)} "
            "events; yield the running counts once after each event"
        )
    if len({id(snapshot) for snapshot in snapshots}) == 1:
        raise Mismatch(
            problem="every snapshot is the same dict object, so they all show the "
            "final counts; yield a copy, e.g. dict(counts)"
        )

    running: Counter[str] = Counter()
    for index, (event, snapshot) in enumerate(
        zip(_KIND_EVENTS, snapshots, strict=True)
    ):
        running[event["kind"]] += 1
        if _without_zeros(snapshot) != dict(running):
            raise Mismatch(
                problem=f"after event {index + 1} expected {dict(running)}, "
                f"got {dict(snapshot)}"
            )

    if list(stream_kind_counts(iter([]))) != []:
        raise Mismatch(
            problem="an empty stream should give no snapshots: nothing has happened"
        )

    try:
        first_three = list(
            itertools.islice(stream_kind_counts(_endless(_KIND_EVENTS[:3])), 3)
        )
    except _EndlessStream:
        raise Mismatch(
            problem="it read the whole stream before answering. A stream has no "
            "end: update the counts and yield after each event, without list(), "
            "len() or sorted() on the events"
        ) from None
    if _without_zeros(first_three[-1]) != {"view": 2, "cart": 1}:
        raise Mismatch(expected={"view": 2, "cart": 1}, actual=first_three[-1])


def _reference_stream_counts() -> Any:
    def stream_kind_counts(events: Iterable[Record]) -> Iterator[dict[str, int]]:
        counts: dict[str, int] = {}
        for event in events:  # one event at a time, as it arrives
            counts[event["kind"]] = counts.get(event["kind"], 0) + 1
            yield dict(counts)  # a snapshot; later events must not change it

    return stream_kind_counts


def _wrong_stream_reads_everything_first() -> Any:
    def stream_kind_counts(events: Iterable[Record]) -> Iterator[dict[str, int]]:
        events = list(events)  # fine for a batch, hangs on a stream
        counts: dict[str, int] = {}
        for event in events:
            counts[event["kind"]] = counts.get(event["kind"], 0) + 1
            yield dict(counts)

    return stream_kind_counts


def _wrong_stream_yields_same_dict() -> Any:
    def stream_kind_counts(events: Iterable[Record]) -> Iterator[dict[str, int]]:
        counts: dict[str, int] = {}
        for event in events:
            counts[event["kind"]] = counts.get(event["kind"], 0) + 1
            yield counts  # the same object every time

    return stream_kind_counts


def _wrong_stream_yields_batch_total() -> Any:
    def stream_kind_counts(events: Iterable[Record]) -> Iterator[dict[str, int]]:
        yield dict(Counter(event["kind"] for event in events))

    return stream_kind_counts


# 01.4 · Wire a source, processors and a sink ----------------------------------


class _ListSource:
    def __init__(self, records: list[Record], endless: bool = False) -> None:
        self.records = records
        self.endless = endless
        self.reads = 0

    def read(self) -> Iterator[Record]:
        self.reads += 1
        if self.endless:
            return _endless([dict(record) for record in self.records])
        return iter([dict(record) for record in self.records])


class _Double:
    def process(self, records: Iterator[Record]) -> Iterator[Record]:
        for record in records:
            yield {**record, "amount": record["amount"] * 2}


class _KeepAbove:
    def __init__(self, threshold: float) -> None:
        self.threshold = threshold

    def process(self, records: Iterator[Record]) -> Iterator[Record]:
        return (record for record in records if record["amount"] > self.threshold)


class _Take:
    def __init__(self, count: int) -> None:
        self.count = count

    def process(self, records: Iterator[Record]) -> Iterator[Record]:
        return itertools.islice(records, self.count)


class _ListSink:
    def __init__(self) -> None:
        self.records: list[Record] = []

    def write(self, records: Iterator[Record]) -> int:
        before = len(self.records)
        self.records.extend(records)
        return len(self.records) - before


def _amounts(sink: _ListSink) -> list[float]:
    return [record["amount"] for record in sink.records]


def _verify_run(run: Any) -> None:
    _require_callable(run, "a function run(source, processors, sink)")
    records = [
        {"id": index, "amount": amount} for index, amount in enumerate([4, 6, 12])
    ]

    source, sink = _ListSource(records), _ListSink()
    written = run(source, [], sink)
    if _amounts(sink) != [4, 6, 12]:
        raise Mismatch(
            problem=f"with no processors the sink should get the source's records "
            f"as they are; it got amounts {_amounts(sink)}"
        )
    if written != 3:
        raise Mismatch(
            problem=f"run returned {written!r}; expected what sink.write returned (3)"
        )
    if source.reads != 1:
        raise Mismatch(
            problem=f"source.read() was called {source.reads} times; once is enough"
        )

    source, sink = _ListSource(records), _ListSink()
    written = run(source, [_Double(), _KeepAbove(10)], sink)
    if _amounts(sink) == [24]:
        raise Mismatch(
            problem="processors ran in reverse order: [Double, KeepAbove(10)] must "
            "double first, then keep amounts above 10 → [12, 24]"
        )
    if _amounts(sink) != [12, 24] or written != 2:
        raise Mismatch(expected=([12, 24], 2), actual=(_amounts(sink), written))

    source, sink = _ListSource(records, endless=True), _ListSink()
    try:
        written = run(source, [_Double(), _Take(2)], sink)
    except _EndlessStream:
        raise Mismatch(
            problem="records were pulled past what the sink needed: pass each "
            "processor's iterator to the next without list() in between, so the "
            "pipeline also works on a source that never ends"
        ) from None
    if _amounts(sink) != [8, 12] or written != 2:
        raise Mismatch(expected=([8, 12], 2), actual=(_amounts(sink), written))


def _reference_run() -> Any:
    def run(source: Any, processors: list[Any], sink: Any) -> int:
        records = source.read()
        for processor in processors:  # wire lazily: nothing flows yet
            records = processor.process(records)
        return sink.write(records)  # the sink pulls records through every step

    return run


def _wrong_run_reversed() -> Any:
    def run(source: Any, processors: list[Any], sink: Any) -> int:
        records = source.read()
        for processor in reversed(processors):
            records = processor.process(records)
        return sink.write(records)

    return run


def _wrong_run_materialises() -> Any:
    def run(source: Any, processors: list[Any], sink: Any) -> int:
        records = list(source.read())
        for processor in processors:
            records = list(processor.process(iter(records)))
        return sink.write(iter(records))

    return run


def _wrong_run_forgets_return() -> Any:
    def run(source: Any, processors: list[Any], sink: Any) -> None:
        records = source.read()
        for processor in processors:
            records = processor.process(records)
        sink.write(records)

    return run


# 01.5 · Order a DAG and catch cycles ------------------------------------------


def _random_dag(size: int, seed: int) -> dict[str, set[str]]:
    generator = random.Random(seed)
    names = [f"task_{index:02d}" for index in range(size)]
    graph = {
        name: set(
            generator.sample(names[:index], k=min(index, generator.randint(0, 3)))
        )
        for index, name in enumerate(names)
    }
    order = names[:]
    generator.shuffle(order)
    return {name: graph[name] for name in order}


_DAGS: list[dict[str, set[str]]] = [
    {},
    {"extract": set()},
    {
        "extract": set(),
        "left": {"extract"},
        "right": {"extract"},
        "join": {"left", "right"},
    },
    {  # counting dependencies is not enough: load has 1, transform has 2
        "report": {"load"},
        "load": {"transform"},
        "transform": {"extract", "config"},
        "extract": set(),
        "config": set(),
    },
    {"b": {"a"}, "a": set(), "y": {"x"}, "x": set()},  # two separate pipelines
    _random_dag(30, seed=1),
]

_CYCLIC: list[tuple[dict[str, set[str]], set[str]]] = [
    ({"a": {"b"}, "b": {"a"}}, {"a", "b"}),
    ({"a": {"a"}}, {"a"}),
    (
        {"extract": set(), "x": {"extract", "z"}, "y": {"x"}, "z": {"y"}, "out": {"z"}},
        {"x", "y", "z"},
    ),
]


def _copy_graph(graph: Mapping[str, set[str]]) -> dict[str, set[str]]:
    return {task: set(upstreams) for task, upstreams in graph.items()}


def _check_order(graph: dict[str, set[str]], order: Any) -> None:
    if not isinstance(order, list | tuple):
        raise Mismatch(problem=f"expected a list of tasks, got {type(order).__name__}")
    missing = sorted(set(graph) - set(order))
    if missing:
        raise Mismatch(problem=f"tasks missing from the order: {missing}")
    twice = sorted(task for task, count in Counter(order).items() if count > 1)
    extra = sorted(set(order) - set(graph))
    if twice or extra:
        raise Mismatch(problem=f"tasks listed twice: {twice}; unknown tasks: {extra}")
    position = {task: index for index, task in enumerate(order)}
    for task, upstreams in graph.items():
        for upstream in sorted(upstreams):
            if position[upstream] > position[task]:
                raise Mismatch(
                    problem=f"{task!r} comes before its dependency {upstream!r} in "
                    f"{list(order)}"
                )


def _verify_topological_order(topological_order: Any) -> None:
    _require_callable(topological_order, "a function topological_order(graph)")

    for graph in _DAGS:
        given = _copy_graph(graph)
        order = topological_order(given)
        if given != graph:
            raise Mismatch(
                problem="topological_order changed the graph it was given; work on "
                "a copy (e.g. a dict of remaining dependency counts)"
            )
        _check_order(graph, order)

    for graph, on_cycle in _CYCLIC:
        try:
            result = topological_order(_copy_graph(graph))
        except ValueError as error:
            if not any(task in str(error) for task in on_cycle):
                raise Mismatch(
                    problem=f"the error for a cycle through {sorted(on_cycle)} "
                    f"says {str(error)!r}; name the tasks involved"
                ) from None
            continue
        raise Mismatch(
            problem=f"returned {result!r} for {graph}, which has a cycle through "
            f"{sorted(on_cycle)}; raise ValueError naming those tasks instead"
        )


def _reference_topological_order() -> Any:
    def topological_order(graph: dict[str, set[str]]) -> list[str]:
        # How many dependencies each task still waits for, and who waits on whom.
        waiting = {task: len(upstreams) for task, upstreams in graph.items()}
        dependents: dict[str, list[str]] = {task: [] for task in graph}
        for task, upstreams in graph.items():
            for upstream in upstreams:
                dependents[upstream].append(task)

        # Run whatever is ready; finishing a task may make its dependents ready.
        ready = sorted(task for task, count in waiting.items() if count == 0)
        order: list[str] = []
        while ready:
            task = ready.pop(0)
            order.append(task)
            for dependent in dependents[task]:
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    ready.append(dependent)

        # Tasks never ready wait on each other: a cycle (or a task behind one).
        if len(order) < len(graph):
            stuck = sorted(task for task in graph if task not in order)
            raise ValueError(
                f"cycle: these tasks are on a cycle or wait for one: {stuck}"
            )
        return order

    return topological_order


def _wrong_order_by_dependency_count() -> Any:
    def topological_order(graph: dict[str, set[str]]) -> list[str]:
        return sorted(graph, key=lambda task: len(graph[task]))

    return topological_order


def _wrong_order_no_cycle_check() -> Any:
    def topological_order(graph: dict[str, set[str]]) -> list[str]:
        waiting = {task: len(upstreams) for task, upstreams in graph.items()}
        order = [task for task, count in waiting.items() if count == 0]
        for task in order:  # grows while we walk it
            for dependent, upstreams in graph.items():
                if task in upstreams:
                    waiting[dependent] -= 1
                    if waiting[dependent] == 0:
                        order.append(dependent)
        return order  # silently partial when there is a cycle

    return topological_order


def _wrong_order_empties_callers_graph() -> Any:
    def topological_order(graph: dict[str, set[str]]) -> list[str]:
        order: list[str] = []
        ready = [task for task, upstreams in graph.items() if not upstreams]
        while ready:
            task = ready.pop()
            order.append(task)
            for dependent, upstreams in graph.items():
                if task in upstreams:
                    upstreams.remove(task)  # edits the caller's sets
                    if not upstreams:
                        ready.append(dependent)
        if len(order) < len(graph):
            raise ValueError(f"cycle among {sorted(set(graph) - set(order))}")
        return order

    return topological_order


def _wrong_order_dependents_first() -> Any:
    def topological_order(graph: dict[str, set[str]]) -> list[str]:
        visited: set[str] = set()
        order: list[str] = []

        def visit(task: str, path: tuple[str, ...]) -> None:
            if task in path:
                raise ValueError(f"cycle through {task}")
            if task in visited:
                return
            for upstream in graph[task]:
                visit(upstream, (*path, task))
            visited.add(task)
            order.append(task)

        for task in graph:
            visit(task, ())
        return order[::-1]  # reversed once too often: dependents first

    return topological_order


EXERCISES = (
    Exercise(
        id="01.1",
        title="Compose a pipeline",
        verify=_verify_compose,
        hints=(
            "compose returns a new function; that function loops over the steps "
            "and feeds each step's output into the next one.",
            "def compose(*steps): def pipeline(data): for step in steps: "
            "data = step(data); return data — and return pipeline. With no steps "
            "the loop does nothing, so the input comes back unchanged.",
        ),
        reference=_reference_compose,
        wrong_answers=(
            _wrong_compose_right_to_left,
            _wrong_compose_skips_last_step,
            _wrong_compose_empty_is_none,
        ),
    ),
    Exercise(
        id="01.2",
        title="Name the pipeline kind",
        verify=_verify_kinds,
        hints=(
            "Ask what each pipeline produces: a model or predictions, rows loaded "
            "into another store, or data shaped for people to read.",
            "ML wins whenever a model is trained or used, even if its scores end in "
            "a table; ETL needs a load into a different store; reading a warehouse "
            "to build a report loads nothing, so it is a data pipeline.",
        ),
        reference=_reference_kinds,
        wrong_answers=(
            _wrong_kinds_stored_rows_are_etl,
            _wrong_kinds_ml_only_when_training,
            _wrong_kinds_warehouse_means_etl,
        ),
    ),
    Exercise(
        id="01.3",
        title="Stream what you batch",
        verify=_verify_stream_counts,
        hints=(
            "Keep one dict of counts outside the loop, update it for each event, "
            "and yield inside the loop.",
            "for event in events: counts[event['kind']] = counts.get(event['kind'], "
            "0) + 1; yield dict(counts) — the dict(...) copy keeps earlier "
            "snapshots from changing.",
        ),
        reference=_reference_stream_counts,
        wrong_answers=(
            _wrong_stream_reads_everything_first,
            _wrong_stream_yields_same_dict,
            _wrong_stream_yields_batch_total,
        ),
    ),
    Exercise(
        id="01.4",
        title="Wire a source, processors and a sink",
        verify=_verify_run,
        hints=(
            "Each processor takes an iterator and returns one: start from "
            "source.read() and replace your iterator with each processor's output.",
            "records = source.read(); for processor in processors: records = "
            "processor.process(records); return sink.write(records) — no list() "
            "anywhere, so records flow one at a time when the sink pulls them.",
        ),
        reference=_reference_run,
        wrong_answers=(
            _wrong_run_reversed,
            _wrong_run_materialises,
            _wrong_run_forgets_return,
        ),
    ),
    Exercise(
        id="01.5",
        title="Order a DAG and catch cycles",
        verify=_verify_topological_order,
        hints=(
            "Count, for every task, how many dependencies it still waits for. Tasks "
            "at zero can run now; running one lowers its dependents' counts.",
            "Kahn's algorithm: build dependents lists, start a ready list with the "
            "zero-count tasks, pop one, append it to the order, decrement its "
            "dependents and add those reaching zero. If the order ends shorter "
            "than the graph, the leftover tasks are on or behind a cycle: raise "
            "ValueError naming them. Never edit the graph you were given.",
        ),
        reference=_reference_topological_order,
        wrong_answers=(
            _wrong_order_by_dependency_count,
            _wrong_order_no_cycle_check,
            _wrong_order_empties_callers_graph,
            _wrong_order_dependents_first,
        ),
    ),
)
