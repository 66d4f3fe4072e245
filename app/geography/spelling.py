"""Forgiving commune names: abbreviations spelled out, close names suggested (rapidfuzz)."""

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.geography.models import Commune, GeographyVersion

ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# What a person abroad may type instead of a commune (folded).
ABROAD_WORDS = {
    "etranger",
    "a l etranger",
    "je vis a l etranger",
    "francais de l etranger",
    "francais a l etranger",
    "francais etablis hors de france",
    "hors de france",
    "expatrie",
    "expatries",
}
MAX_NAMES = 5
MAX_COMMUNES = 8
MIN_SCORE = 80

# Per geography version: the distinct folded names, and the communes bearing each.
_names: dict[str, tuple[list[str], dict[str, list[str]]]] = {}


def expand_abbreviations(folded: str) -> str:
    """« st etienne » → « saint etienne »: on folded text, word by word."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in folded.split())


def abbreviate(folded: str) -> str:
    """« saint pierre » → « st pierre », as La Poste writes names."""
    short = {long: abbreviation for abbreviation, long in ABBREVIATIONS.items()}
    return " ".join(short.get(word, word) for word in folded.split())


def _index(db: Connection | Session) -> tuple[list[str], dict[str, list[str]]]:
    version = db.execute(select(GeographyVersion.content_hash)).scalar() or ""
    if version not in _names:
        communes: dict[str, list[str]] = {}
        rows = db.execute(select(Commune.search_name, Commune.insee).order_by(Commune.insee))
        for name, insee in rows:
            communes.setdefault(name, []).append(insee)
        _names.clear()
        _names[version] = (list(communes), communes)
    return _names[version]


def suggest(db: Connection | Session, folded: str) -> list[str]:
    """INSEE codes of the communes whose name is closest to `folded`, best first."""
    names, communes = _index(db)
    found = process.extract(
        folded, names, scorer=fuzz.ratio, limit=MAX_NAMES, score_cutoff=MIN_SCORE
    )
    insees = [insee for name, _score, _i in found for insee in communes[name]]
    return insees[:MAX_COMMUNES]
