"""Draw the learner's progress: done / total roadmap items per section, as bars.

Each section gets a pale bar as long as its item count and a solid bar for the items
done; sections whose notebook is not written yet are drawn hatched and labelled
"not available yet". The picture is written atomically, in the format its suffix
names (``.png``, ``.svg``, ``.pdf``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import UserInputError, explain
from toolkit.io import atomic_path
from toolkit.progress.status import NOT_AVAILABLE, SectionProgress

log = logging.getLogger(__name__)

PICTURE_SUFFIXES = (".png", ".svg", ".pdf")


def check_destination(destination: Path) -> None:
    """Refuse a picture path that is a folder or names an unknown format.

    Raises:
        UserInputError: saying which, and what to pass instead.
    """
    if destination.suffix.lower() not in PICTURE_SUFFIXES:
        raise UserInputError(
            explain(
                f"picture file {destination} has suffix {destination.suffix!r}",
                f"one of {', '.join(PICTURE_SUFFIXES)}",
                "--plot progress.png",
            )
        )
    if destination.is_dir():
        raise UserInputError(
            explain(
                f"picture file {destination} is a folder",
                "a file name",
                f"--plot {destination / 'progress.png'}",
            )
        )


def plot_progress(sections: Sequence[SectionProgress], destination: Path) -> Path:
    """Draw done / total per section into ``destination`` and return its path.

    Raises:
        UserInputError: if ``destination`` is a folder or has an unknown suffix.
    """
    check_destination(destination)

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    # Matplotlib's bundled font has no emoji, so the labels leave them out.
    labels = [progress.section.label for progress in sections]
    totals = [len(progress.items) for progress in sections]
    done = [progress.items_done for progress in sections]
    positions = list(range(len(sections)))[::-1]

    figure, axes = pyplot.subplots(figsize=(9, 0.45 * len(sections) + 1.2))
    for position, progress, total, count in zip(
        positions, sections, totals, done, strict=True
    ):
        hatch = None if progress.available else "//"
        axes.barh(position, total, color="#dde3ea", hatch=hatch, edgecolor="#9aa5b1")
        axes.barh(position, count, color="#2f7d4f")
        note = f"{count} / {total}" if progress.available else NOT_AVAILABLE
        axes.text(total + 0.15, position, note, va="center", fontsize=8)

    axes.set_yticks(positions, labels=labels, fontsize=8)
    axes.set_xlim(0, max(totals, default=1) + 3)
    axes.set_xlabel("roadmap items")
    items_done, items_total = sum(done), sum(totals)
    axes.set_title(f"Roadmap progress: {items_done} / {items_total} items done")
    figure.tight_layout()

    with atomic_path(destination) as temporary:
        figure.savefig(temporary)
    pyplot.close(figure)
    log.info("drew progress into %s", destination)
    return destination
