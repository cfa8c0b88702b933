"""Shared test options and fixtures.

Golden files live in ``tests/golden/``. They are compared byte for byte; a
failing comparison prints a unified diff. To regenerate them after an
intended change, run ``pytest --update-goldens`` and review the diff in git.
"""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
GOLDEN = TESTS / "golden"
REAL_SEEDS = REPO.parent / "shared" / "seeds"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden files from the current output instead of comparing",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, bytes], None]:
    """Compare bytes with ``tests/golden/<name>``, or rewrite it on request."""
    update = bool(request.config.getoption("--update-goldens"))

    def check(name: str, actual: bytes) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual)
            return
        if not path.exists():
            pytest.fail(f"no golden file {path}; create it with `pytest --update-goldens`")
        expected = path.read_bytes()
        if expected != actual:
            diff = difflib.unified_diff(
                expected.decode("utf-8", "replace").splitlines(keepends=True),
                actual.decode("utf-8", "replace").splitlines(keepends=True),
                fromfile=f"golden/{name}",
                tofile="actual",
            )
            pytest.fail("output differs from golden file:\n" + "".join(list(diff)[:200]))

    return check


@pytest.fixture(scope="session")
def real_seeds() -> Path:
    """The five real scraped articles shared beside the repository."""
    if not REAL_SEEDS.is_dir():
        pytest.skip(f"real seeds not found at {REAL_SEEDS}")
    return REAL_SEEDS


def require_tool(name: str) -> str:
    """Path of an external judge; skipped locally when absent, a failure in CI."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI; .ci/run must install it")
    pytest.skip(f"{name} not installed")
