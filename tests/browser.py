"""Debian's chromium for the browser tests, installed with apt-get when missing.

Without it (and no way to install it) a browser test skips, except under CI=true where it fails.
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


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


def ensure_chromium() -> Path:
    if not CHROMIUM.exists():
        problem = _install_chromium()
        if not CHROMIUM.exists():
            reason = f"{CHROMIUM} absent et installation impossible : {problem}"
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI exige le navigateur. {reason}")
            pytest.skip(reason)
    return CHROMIUM


def launched_chromium() -> Iterator[object]:
    """Chromium for one test module: Playwright's sync API holds an asyncio loop while it runs,
    which would break later tests calling asyncio.run() if kept for the whole session."""
    executable = ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
