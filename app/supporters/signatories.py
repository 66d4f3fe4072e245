"""The manifesto's signatories: imported with the consent they gave on the petition site."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.importing.errors import ImportFileError
from app.importing.tabular import read_table
from app.supporters.models import Supporter

COLUMNS = ("email", "consentement_nouvelles")
OPTIONAL = ("nom", "code_postal", "date_consentement", "texte_consentement")
YES = {"oui", "o", "1", "true", "vrai", "x", "yes"}
NO = {"non", "n", "0", "false", "faux", "", "no"}
POSTCODE = re.compile(r"^\d{5}$")
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%d/%m/%Y %H:%M")
SOURCE = "petition"


@dataclass(frozen=True)
class SignatoryRow:
    line: int
    email: str
    name: str
    postcode: str
    consent: bool
    consent_at: datetime | None
    wording: str


@dataclass(frozen=True)
class SignatoryReport:
    new: int
    updated: int
    unchanged: int
    without_consent: int

    @property
    def summary(self) -> str:
        return (
            f"Signataires : {self.new} nouveaux, {self.updated} mis à jour, {self.unchanged} "
            f"inchangés ; {self.without_consent} sans accord pour recevoir nos nouvelles, "
            "non importés."
        )


def _date(file: str, line: int, text: str) -> datetime:
    for layout in DATE_FORMATS:
        try:
            return datetime.strptime(text, layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ImportFileError(
        file, line, "date_consentement", f"date illisible : « {text} » (attendu AAAA-MM-JJ)."
    )


def _row(file: str, line: int, row: dict[str, str]) -> SignatoryRow:
    try:
        email = validate_email(row["email"], check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ImportFileError(
            file, line, "email", f"adresse invalide : « {row['email']} »."
        ) from exc
    answer = row["consentement_nouvelles"].lower()
    if answer not in YES | NO:
        raise ImportFileError(
            file, line, "consentement_nouvelles", f"« {answer} » : attendu « oui » ou « non »."
        )
    consent = answer in YES
    postcode = row.get("code_postal", "")
    if postcode and not POSTCODE.match(postcode):
        raise ImportFileError(file, line, "code_postal", f"code postal invalide : « {postcode} ».")
    name = " ".join(row.get("nom", "").split())
    if len(name) > 120:
        raise ImportFileError(file, line, "nom", "nom trop long (120 caractères au plus).")
    date_text, wording = row.get("date_consentement", ""), row.get("texte_consentement", "")
    if consent and not (date_text and wording):
        column = "texte_consentement" if date_text else "date_consentement"
        raise ImportFileError(
            file, line, column, "un accord sans sa date et son texte ne peut pas être importé."
        )
    consent_at = _date(file, line, date_text) if date_text else None
    return SignatoryRow(line, email, name, postcode, consent, consent_at, wording[:200])


def read_signatories(path: Path) -> list[SignatoryRow]:
    """Every row of the petition's export, checked; the first bad one stops everything."""
    table = read_table(path, required=COLUMNS)
    rows: list[SignatoryRow] = []
    seen: dict[str, int] = {}
    for line, values in table.rows():
        row = _row(table.file, line, values)
        if row.email in seen:
            raise ImportFileError(
                table.file, line, "email", f"adresse déjà présente ligne {seen[row.email]}."
            )
        seen[row.email] = line
        rows.append(row)
    return rows


def import_signatories(session: Session, *, rows: list[SignatoryRow]) -> SignatoryReport:
    """Add or update the consenting signatories, keyed on the e-mail; re-importing changes
    nothing, and nobody who unsubscribed is subscribed again."""
    consenting = [r for r in rows if r.consent]
    existing = {
        s.email: s
        for s in session.scalars(
            select(Supporter).where(Supporter.email.in_([r.email for r in consenting]))
        )
    }
    new = updated = unchanged = 0
    for row in consenting:
        supporter = existing.get(row.email)
        if supporter is None:
            session.add(
                Supporter(
                    email=row.email,
                    name=row.name,
                    postcode=row.postcode,
                    source=SOURCE,
                    news_consent=True,
                    news_consent_at=row.consent_at,
                    news_consent_version=row.wording,
                )
            )
            new += 1
            continue
        changed = False
        if not supporter.news_consent and supporter.unsubscribed_at is None:
            supporter.news_consent = True
            supporter.news_consent_at, supporter.news_consent_version = row.consent_at, row.wording
            changed = True
        if row.name and not supporter.name:
            supporter.name, changed = row.name, True
        if row.postcode and not supporter.postcode:
            supporter.postcode, changed = row.postcode, True
        updated += changed
        unchanged += not changed
    session.flush()
    return SignatoryReport(new, updated, unchanged, len(rows) - len(consenting))
