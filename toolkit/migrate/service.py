"""The migrate service: script in, Luigi package out (the command calls this)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from toolkit.analysis.source import load_source
from toolkit.migrate.generator import check_output_folder, plan_document, render
from toolkit.migrate.planner import MigrationPlan, plan_migration
from toolkit.paths import workbook_root

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MigrationResult:
    """What a migration produced."""

    plan: MigrationPlan
    out: Path
    files: tuple[str, ...]

    def to_json(self, script: str) -> dict[str, object]:
        """The ``toolkit migrate --json`` document."""
        document = plan_document(self.plan)
        document["script"] = script
        document["out"] = str(self.out)
        return document


def default_out(script: Path) -> Path:
    """``migrated/<script name>/`` under the workbook root."""
    return workbook_root() / "migrated" / script.stem


def migrate_script(
    script: str | Path, out: str | Path | None = None
) -> MigrationResult:
    """Plan, render and write the Luigi package for ``script``.

    Every check runs before anything is written.

    Raises:
        UserInputError: for unreadable input, refused constructs, or an output
            folder holding files this tool did not write.
    """
    unit = load_source(script)
    plan = plan_migration(unit)
    package = render(plan)
    folder = Path(out) if out is not None else default_out(Path(script))
    check_output_folder(folder, package)

    package.write(folder)
    log.info("wrote %d files to %s", len(package.files), folder)
    return MigrationResult(plan, folder, tuple(sorted(package.files)))
