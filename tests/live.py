"""A real `plaidoyer serve` on a free loopback port, for browser and load tests."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

PLAIDOYER = Path(sys.executable).with_name("plaidoyer")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(env: dict[str, str], log: Path, *, cwd: Path | None = None) -> Iterator[str]:
    """`plaidoyer serve` on a free port until the block ends; yields its base URL."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(PLAIDOYER), "serve", "--port", str(port)],
            env=env,
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"le serveur ne répond pas :\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
