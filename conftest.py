"""Session set-up shared by the unit tests and the nbval run over notebooks/.

Before any test or notebook kernel starts:

* the offline guard (tests/offline/sitecustomize.py) goes first on PYTHONPATH, so every
  kernel and subprocess refuses outbound connections except to loopback;
* exercise outcomes go to a throwaway progress file, never the learner's own;
* matplotlib draws off screen.
"""

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
OFFLINE_GUARD = ROOT / "tests" / "offline"


def pytest_configure(config: object) -> None:
    """Set the environment every test and notebook kernel inherits."""
    existing = os.environ.get("PYTHONPATH", "")
    parts = [str(OFFLINE_GUARD), *(p for p in existing.split(os.pathsep) if p)]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(parts))
    scratch = Path(tempfile.mkdtemp(prefix="workbook-test-"))
    os.environ.setdefault("PIPELINE_WORKBOOK_PROGRESS", str(scratch / "progress.json"))
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PREFECT_HOME", str(scratch / "prefect"))
