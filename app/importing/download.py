"""Every download of the application: official open data fetched over HTTP(S), size-bounded."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import httpx
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

from app.importing.errors import ImportFileError
from app.importing.files import MAX_FILE_BYTES

TIMEOUT_SECONDS = 60


def download(url: str, folder: Path, *, console: Console) -> Path:
    """Fetches a URL into `folder` with a progress bar; refuses anything over the size limit."""
    target = folder / (Path(urlparse(url).path).name or "telechargement")
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
    try:
        with (
            httpx.stream("GET", url, follow_redirects=True, timeout=TIMEOUT_SECONDS) as response,
            Progress(*columns, TransferSpeedColumn(), console=console) as progress,
        ):
            response.raise_for_status()
            total = int(response.headers.get("content-length") or 0) or None
            task = progress.add_task(f"Téléchargement de {target.name}", total=total)
            size = 0
            with target.open("wb") as out:
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_FILE_BYTES:
                        raise ImportFileError(url, None, None, "fichier trop volumineux.")
                    out.write(chunk)
                    progress.update(task, advance=len(chunk))
    except httpx.HTTPError as exc:
        raise ImportFileError(url, None, None, f"téléchargement impossible : {exc}.") from exc
    return target


@contextmanager
def local_file(path_or_url: str, *, console: Console) -> Iterator[Path]:
    """The path itself, or a temporary download of the URL."""
    if path_or_url.startswith(("http://", "https://")):
        with tempfile.TemporaryDirectory(prefix="plaidoyer-") as folder:
            yield download(path_or_url, Path(folder), console=console)
    else:
        yield Path(path_or_url)
