"""The project's own compact geography files in data/geography/: written from the official data,
read back at start-up. The same bytes give the same content hash, whichever way they came in."""

import csv
import hashlib
import io
from pathlib import Path

from app.geography.importers import CommuneRecord, GeographyData
from app.importing.errors import ImportFileError
from app.importing.tabular import read_table

FILES = ("departments.csv", "communes.csv", "postal_codes.csv", "commune_circonscriptions.csv")
HEADERS = {
    "departments.csv": ("code", "name"),
    "communes.csv": ("insee", "name", "department_code"),
    "postal_codes.csv": ("postcode", "insee", "label"),
    "commune_circonscriptions.csv": ("insee", "department_code", "circonscription", "partial"),
}


def _rows(data: GeographyData, name: str) -> list[tuple[object, ...]]:
    if name == "departments.csv":
        return sorted(data.departments.items())
    if name == "communes.csv":
        return [(k, c.name, c.department_code) for k, c in sorted(data.communes.items())]
    if name == "postal_codes.csv":
        return [(p, i, label) for (p, i), label in sorted(data.postal_codes.items())]
    return [(i, d, n, int(partial)) for (i, d, n), partial in sorted(data.circonscriptions.items())]


def render(data: GeographyData) -> dict[str, bytes]:
    """Each project file's bytes: UTF-8, comma-separated, sorted, so that equal data give equal
    bytes."""
    rendered = {}
    for name in FILES:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADERS[name])
        writer.writerows(_rows(data, name))
        rendered[name] = buffer.getvalue().encode("utf-8")
    return rendered


def content_hash(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def write_files(data: GeographyData, directory: Path) -> dict[str, int]:
    """Writes the project files; returns each file's size in bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, content in render(data).items():
        (directory / name).write_bytes(content)
        sizes[name] = len(content)
    return sizes


def read_raw(directory: Path) -> dict[str, bytes] | None:
    """The project files' bytes, or None when the folder does not hold them all."""
    paths = [directory / name for name in FILES]
    if not all(path.is_file() for path in paths):
        return None
    return {path.name: path.read_bytes() for path in paths}


def parse(directory: Path, raw: dict[str, bytes]) -> GeographyData:
    """The project files as GeographyData (they are trusted but still checked)."""
    tables = {
        name: read_table(content, required=HEADERS[name], name=str(directory / name))
        for name, content in raw.items()
    }
    data = GeographyData()
    for _, row in tables["departments.csv"].rows():
        data.departments[row["code"]] = row["name"]
    for _, row in tables["communes.csv"].rows():
        data.communes[row["insee"]] = CommuneRecord(row["name"], row["department_code"])
    for _, row in tables["postal_codes.csv"].rows():
        data.postal_codes[(row["postcode"], row["insee"])] = row["label"]
    circos = tables["commune_circonscriptions.csv"]
    for line, row in circos.rows():
        if not row["circonscription"].isdigit():
            raise ImportFileError(circos.file, line, "circonscription", "numéro invalide.")
        key = (row["insee"], row["department_code"], int(row["circonscription"]))
        data.circonscriptions[key] = row["partial"] == "1"
    return data
