"""The error every importer raises: it says which file, which line or record, which field."""

from pathlib import Path


class ImportFileError(Exception):
    """A source file that cannot be imported; str() reads « fichier:ligne:champ: message »."""

    def __init__(
        self, file: str | Path, location: int | str | None, field: str | None, message: str
    ) -> None:
        self.file = str(file)
        self.location = location
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file]
        where.append("" if self.location is None else str(self.location))
        where.append(self.field or "")
        return f"{':'.join(where)}: {self.message}"
