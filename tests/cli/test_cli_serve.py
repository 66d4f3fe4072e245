"""`plaidoyer serve --host`: the settings see the address uvicorn listens on."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.live import free_port

PLAIDOYER = Path(sys.executable).with_name("plaidoyer")
# A loopback address that the settings do not count as local, so that a test can see what a
# public address turns on without listening beyond this machine.
NON_LOCAL_LOOPBACK = "127.0.0.2"


def _environment(tmp_path: Path, url: str, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PLAIDOYER_") and key not in {"DATABASE_URL", "PORT"}
    }
    return env | {"DATABASE_URL": url, "PLAIDOYER_DATA_DIR": str(tmp_path), **extra}


def test_serve_on_a_public_address_without_a_secret_refuses_to_start(
    tmp_path: Path,
    make_migrated_url,  # type: ignore[no-untyped-def]
) -> None:
    port = str(free_port("127.0.0.1"))
    result = subprocess.run(
        [str(PLAIDOYER), "serve", "--host", "0.0.0.0", "--port", port],
        env=_environment(tmp_path, make_migrated_url("sqlite")),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert "PLAIDOYER_SECRET_KEY est obligatoire" in message


def test_serve_on_a_non_local_address_with_a_secret_sets_secure_cookies(
    tmp_path: Path,
    make_migrated_url,  # type: ignore[no-untyped-def]
) -> None:
    port = free_port(NON_LOCAL_LOOPBACK)
    env = _environment(
        tmp_path,
        make_migrated_url("sqlite"),
        PLAIDOYER_SECRET_KEY="une-clé-de-test-assez-longue-pour-signer",
    )
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(PLAIDOYER), "serve", "--host", NON_LOCAL_LOOPBACK, "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        response = _first_answer(f"http://{NON_LOCAL_LOOPBACK}:{port}/connexion", process, log)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("plaidoyer_session=") and "; secure" in cookie


def _first_answer(url: str, process: subprocess.Popen[bytes], log: Path) -> httpx.Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"le serveur ne répond pas :\n{log.read_text()}")
