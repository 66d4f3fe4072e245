"""Reading a source file whole, within a size any official dataset fits in."""

from pathlib import Path

from app.importing.errors import ImportFileError

MAX_FILE_BYTES = 100 * 1024 * 1024


def read_limited(path: Path) -> bytes:
    """The file's bytes, refusing missing files and anything too large to be a directory."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                path, None, None, f"fichier trop volumineux ({size // 1_000_000} Mo, maximum 100)."
            )
        return path.read_bytes()
    except OSError as exc:
        raise ImportFileError(path, None, None, f"lecture impossible : {exc.strerror}.") from exc
