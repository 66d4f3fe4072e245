"""What the stance tests share besides fixtures: the actor, the shipped AN files, the directory."""

from pathlib import Path

from sqlalchemy.orm import Session

from app.officials.importers.project import PROJECT_FIELDS, parse_project
from app.officials.sync import apply_officials
from app.security import Actor

ACTOR = Actor.system("tests")

ROOT = Path(__file__).resolve().parents[2]
RECORDS = ROOT.parent / "shared" / "data" / "votes_et_textes"
DOSSIERS = RECORDS / "an_protection_enfance_numerique"
SCRUTINS = RECORDS / "an_scrutins_xml"
JSON_SCRUTIN = RECORDS / "an_scrutin_VTANR5L17V4182_sample.json"
LAW = "PIONANR5L17B2107"


def load_deputies(session: Session) -> None:
    """The 577 sitting deputies of the project's own directory file."""
    apply_officials(
        session,
        kind="deputy",
        records=parse_project(ROOT / "data" / "deputies.csv"),
        actor=ACTOR,
        source_label="deputies.csv",
        fields=PROJECT_FIELDS,
    )
