"""Loading a JSON source file with errors that name the file and the line."""

import json
from pathlib import Path
from typing import Any

from app.importing.errors import ImportFileError
from app.importing.files import read_limited


def load_json(path: Path | bytes, *, name: str | None = None) -> Any:
    """The parsed document; a junk or truncated file fails at once with its line and column."""
    file = name or (str(path) if isinstance(path, Path) else "<données>")
    data = read_limited(path) if isinstance(path, Path) else path
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFileError(file, line, None, "JSON illisible : UTF-8 attendu.") from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            file, exc.lineno, f"colonne {exc.colno}", f"JSON invalide : {exc.msg}."
        ) from exc


def field(obj: Any, key: str, *, file: str, record: int | str) -> Any:
    """obj[key], or an error naming the record and the missing field."""
    if not isinstance(obj, dict) or key not in obj:
        raise ImportFileError(file, record, key, f"champ « {key} » absent.")
    return obj[key]
