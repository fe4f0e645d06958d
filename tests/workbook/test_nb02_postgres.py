"""Run notebook 02 against the PostgreSQL server on loopback, twice.

The notebook loads its warehouse tables into the schema ``workbook_nb02``, which it
drops and recreates, so running it twice must leave exactly the same tables. Skipped
when no PostgreSQL answers on 127.0.0.1:5432 with database ``test``.
"""

import json

import pytest

from toolkit.notebooks.runner import KERNEL_NAME
from toolkit.paths import notebooks_dir

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
SCHEMA = "workbook_nb02"
NOTEBOOK = notebooks_dir() / "02_data_engineering.ipynb"

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.notebook]


@pytest.fixture(scope="module")
def postgres():
    psycopg = pytest.importorskip("psycopg")
    try:
        connection = psycopg.connect(POSTGRES_URL, connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL does not answer at {POSTGRES_URL}: {error}")
    yield connection
    connection.close()


def run_notebook(folder, name: str) -> dict:
    import papermill

    workdir = folder / f"{name}_work"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(folder / f"{name}.ipynb"),
        parameters={
            "n_orders": 1_500,
            "run_prefect": False,
            "warehouse_url": POSTGRES_URL,
            "workdir": str(workdir),
        },
        cwd=str(NOTEBOOK.parent),
        kernel_name=KERNEL_NAME,
        progress_bar=False,
    )
    return json.loads((workdir / "summary.json").read_text(encoding="utf-8"))


def daily_revenue(connection) -> list[tuple]:
    return connection.execute(
        f"SELECT order_date, category, orders, revenue FROM {SCHEMA}.daily_revenue "
        "ORDER BY order_date, category"
    ).fetchall()


@pytest.fixture(scope="module")
def two_runs(postgres, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nb02_postgres")
    first = run_notebook(folder, "first")
    after_first = daily_revenue(postgres)
    second = run_notebook(folder, "second")
    return first, after_first, second, daily_revenue(postgres)


def test_when_run_twice_against_postgres_then_tables_are_identical(two_runs):
    first, after_first, second, after_second = two_runs

    assert first["warehouse"] == second["warehouse"] == "postgresql"
    assert first["etl_equals_elt"] and second["etl_equals_elt"]
    assert after_first == after_second
    assert len(after_second) == second["daily_revenue_rows"]
    assert sum(row[2] for row in after_second) == second["orders_kept"]
    assert float(sum(row[3] for row in after_second)) == pytest.approx(
        second["revenue_total"], abs=0.005
    )


def test_when_notebook_has_run_then_its_schema_holds_only_its_tables(
    postgres, two_runs
):
    tables = {
        name
        for (name,) in postgres.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (SCHEMA,),
        ).fetchall()
    }
    assert tables == {
        "daily_revenue",
        "raw_orders",
        "raw_products",
        "elt_daily_revenue",
    }
