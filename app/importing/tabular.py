"""A CSV reader tolerant of French spreadsheet exports: BOM, UTF-8 or Windows-1252, `,` or `;`."""

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.importing.errors import ImportFileError
from app.importing.files import read_limited

HEADER_WINDOW = 64 * 1024
SEPARATORS = (",", ";", "\t")


@dataclass(frozen=True)
class Table:
    """A decoded CSV file: its name for messages, its header and its text."""

    file: str
    header: list[str]
    separator: str
    text: str

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, raw values) of every non-blank data row, each as wide as the header."""
        width = len(self.header)
        reader = csv.reader(io.StringIO(self.text), delimiter=self.separator)
        try:
            next(reader)
            for values in reader:
                if len(values) != width:
                    if not any(v.strip() for v in values):
                        continue
                    raise ImportFileError(
                        self.file,
                        reader.line_num,
                        None,
                        f"{len(values)} colonnes au lieu de {width} "
                        f"(séparateur « {self.separator} » attendu).",
                    )
                yield reader.line_num, values
        except csv.Error as exc:
            raise ImportFileError(
                self.file, reader.line_num, None, f"CSV invalide : {exc}."
            ) from exc

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, row by column name) for every data row."""
        for line, values in self._records():
            if any(v.strip() for v in values):
                yield line, dict(zip(self.header, (v.strip() for v in values), strict=True))

    def values(self, *columns: str) -> Iterator[tuple[int, list[str]]]:
        """(line number, the given columns' values): leaner than rows() on 100,000 rows."""
        positions = [self.header.index(column) for column in columns]
        for line, values in self._records():
            yield line, [values[i].strip() for i in positions]


def _decode(data: bytes, file: str, encoding: str | None) -> tuple[str, str]:
    """The text and the encoding used: the one asked for, else UTF-8 then Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:HEADER_WINDOW]:
        raise ImportFileError(
            file, 1, None, "encodage UTF-16 ou fichier binaire : enregistrez en UTF-8 (CSV)."
        )
    candidates = [encoding] if encoding else ["utf-8-sig", "cp1252"]
    error: UnicodeDecodeError | None = None
    for candidate in candidates:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError as exc:
            error = exc
    assert error is not None
    line = data.count(b"\n", 0, error.start) + 1
    raise ImportFileError(
        file, line, None, f"octet {data[error.start]:#04x} illisible en {', '.join(candidates)}."
    )


def read_table(
    path: Path | bytes,
    *,
    required: Sequence[str],
    name: str | None = None,
    encoding: str | None = None,
) -> Table:
    """Opens a CSV, sniffing encoding and separator, and checks the required columns exist."""
    file = name or (str(path) if isinstance(path, Path) else "<données>")
    data = read_limited(path) if isinstance(path, Path) else path
    if not data.strip():
        raise ImportFileError(file, 1, None, "fichier vide.")
    end = data.find(b"\n", 0, HEADER_WINDOW)
    if end < 0 and len(data) > HEADER_WINDOW:
        raise ImportFileError(file, 1, None, "aucune ligne d'en-tête dans les 64 premiers Ko.")
    # Decoding the header alone first makes a junk file fail at once, not after decoding it all.
    _decode(data[: end if end >= 0 else len(data)], file, encoding)
    text, _ = _decode(data, file, encoding)
    first_line = text.split("\n", 1)[0]
    separator = max(SEPARATORS, key=first_line.count)
    header = [h.strip() for h in next(csv.reader([first_line], delimiter=separator))]
    for column in required:
        if column not in header:
            raise ImportFileError(
                file,
                1,
                column,
                f"colonne « {column} » absente de l'en-tête (séparateur lu : « {separator} »).",
            )
    return Table(file=file, header=header, separator=separator, text=text)
