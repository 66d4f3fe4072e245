"""The officials importers' common currency: a parsed official and the normalised codes."""

import dataclasses
from dataclasses import dataclass, field
from datetime import date

# Français établis hors de France: the AN and Datan say "099", the RNE "ZZ", the Sénat 997/998.
ABROAD_CODE = "099"
ABROAD_NAME = "Français établis hors de France"


@dataclass(frozen=True)
class OfficialRecord:
    """One sitting official as a source describes them (the Official's data fields)."""

    source_id: str
    civility: str
    first_name: str
    last_name: str
    group_code: str = ""
    group_name: str = ""
    department_code: str = ""
    department_name: str = ""
    circonscription: int | None = None
    portfolio: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""
    mandate_start: date | None = None
    # Where the record came from (line or record number), for error messages only.
    origin: int | str = field(default="", compare=False)


DATA_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(OfficialRecord) if f.name not in {"source_id", "origin"}
)


def with_emails(records: list[OfficialRecord], emails: dict[str, str]) -> list[OfficialRecord]:
    """Fill in missing e-mails from a second source keyed by upper-case source id."""
    return [
        dataclasses.replace(r, email=emails[r.source_id.upper()])
        if not r.email and emails.get(r.source_id.upper())
        else r
        for r in records
    ]


def department_code(raw: str) -> str:
    """INSEE-style département code: "1" → "01", "2a" → "2A", abroad codes → "099"."""
    code = raw.strip().upper()
    if code in {"ZZ", "99", "099", "997", "998"}:
        return ABROAD_CODE
    if code.isdigit() and len(code) == 1:
        return f"0{code}"
    return code


def civility(raw: str) -> str:
    """ "M." or "Mme" from the sources' many spellings; "" when it cannot be told."""
    value = raw.strip().rstrip(".").lower()
    if value in {"m", "monsieur", "h", "homme"}:
        return "M."
    if value in {"mme", "madame", "f", "femme"}:
        return "Mme"
    return ""
