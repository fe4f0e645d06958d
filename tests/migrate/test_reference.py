"""Every reference migration in migrated/ computes what its legacy script computes."""

import pytest

from toolkit.migrate.verifier import verify

from .conftest import LEGACY, LEGACY_SCRIPTS, MIGRATED


@pytest.mark.slow
@pytest.mark.parametrize("script", LEGACY_SCRIPTS)
def test_reference_migration_is_equivalent_to_its_script(script):
    result = verify(
        LEGACY / f"{script}.py", MIGRATED / script, LEGACY / "data" / script
    )
    assert result.dag_exit_code == 0, result.dag_error
    assert result.files, "the script wrote nothing to compare"
    assert result.equivalent, [f for f in result.files if f.status != "equal"]
