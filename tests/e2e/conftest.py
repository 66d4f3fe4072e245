"""Browser fixtures: the real app served by `plaidoyer serve`, driven by Debian's chromium via
Playwright (the `browser` fixture of tests/conftest.py)."""

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.live import PLAIDOYER, served

ADMIN_EMAIL = "admin@plaidoyer.local"
ADMIN_PASSWORD = "mot-de-passe-e2e-admin"


@dataclass(frozen=True)
class Server:
    url: str
    admin_email: str
    admin_password: str
    data_dir: Path  # the served instance's folder: its SQLite database, to add rows


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`plaidoyer setup` then `plaidoyer serve` on a free port, in a fresh data folder."""
    data_dir = tmp_path_factory.mktemp("e2e")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PLAIDOYER_") and key not in {"DATABASE_URL", "PORT"}
    }
    env |= {
        "PLAIDOYER_DATA_DIR": str(data_dir),
        "PLAIDOYER_ADMIN_EMAIL": ADMIN_EMAIL,
        "PLAIDOYER_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    subprocess.run(
        [str(PLAIDOYER), "setup"], env=env, cwd=data_dir, capture_output=True, check=True
    )
    with served(env, data_dir / "server.log", cwd=data_dir) as url:
        yield Server(
            url=url, admin_email=ADMIN_EMAIL, admin_password=ADMIN_PASSWORD, data_dir=data_dir
        )


@pytest.fixture
def page(browser, server: Server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh browser context (no cookies) opened on the served app."""
    context = browser.new_context(base_url=server.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
