"""Browser fixtures: the real app served by uvicorn, driven by Debian's chromium via Playwright.

Without chromium (and no way to install it) the browser tests skip, except under CI=true.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
PLAIDOYER = Path(sys.executable).with_name("plaidoyer")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ADMIN_EMAIL = "admin@plaidoyer.local"
ADMIN_PASSWORD = "mot-de-passe-e2e-admin"


@dataclass(frozen=True)
class Server:
    url: str
    admin_email: str
    admin_password: str
    data_dir: Path


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI exige le navigateur. {reason}")
    pytest.skip(reason)


def _install_chromium() -> str:
    """Tries Debian's package; returns what went wrong, or an empty string."""
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        return "apt-get indisponible ou pas les droits root"
    for command in ([apt, "update"], [apt, "install", "-y", "chromium"]):
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if result.returncode != 0:
            return result.stderr.strip()[-500:]
    return ""


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        problem = _install_chromium()
        if not CHROMIUM.exists():
            _unavailable(f"{CHROMIUM} absent et installation impossible : {problem}")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté :\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"le serveur ne répond pas :\n{log.read_text()}")


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
    port = _free_port()
    log = data_dir / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(PLAIDOYER), "serve", "--port", str(port)],
            env=env,
            cwd=data_dir,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield Server(
            url=url, admin_email=ADMIN_EMAIL, admin_password=ADMIN_PASSWORD, data_dir=data_dir
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[object]:
    """Chromium for one test module: Playwright's sync API holds an asyncio loop while it runs,
    which would break later tests calling asyncio.run() if kept for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server: Server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh browser context (no cookies) opened on the served app."""
    context = browser.new_context(base_url=server.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
