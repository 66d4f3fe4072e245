"""Bodies and memberships as a source describes them, before they meet the database."""

from dataclasses import dataclass, field
from datetime import date

CHAMBER_LABELS = {"an": "Assemblée nationale", "senat": "Sénat", "gouvernement": "Gouvernement"}


@dataclass(frozen=True)
class BodyRecord:
    source_id: str
    chamber: str
    kind: str
    name: str
    short_name: str = ""


@dataclass(frozen=True)
class MembershipRecord:
    """One seat: the body's source id, the official's kind and source id, the role key."""

    body: str
    official_kind: str
    official: str
    role: str
    start_date: date | None = None
    origin: int | str = field(default="", compare=False)


KIND_LABELS = {
    "COMPER": "Commission permanente",
    "CNPE": "Commission d'enquête",
    "CNPS": "Commission spéciale",
    "CMP": "Commission mixte paritaire",
    "COMNL": "Autre commission",
    "DELEG": "Délégation",
    "DELEGBUREAU": "Délégation du Bureau",
    "OFFPAR": "Office parlementaire",
    "MISINFO": "Mission d'information",
    "MISINFOCOM": "Mission d'information commune",
    "GE": "Groupe d'études",
    "GEVI": "Groupe d'études à vocation internationale",
    "GA": "Groupe d'amitié",
    "API": "Assemblée parlementaire internationale",
    "ORGEXTPARL": "Organisme extraparlementaire",
    "BUREAU": "Bureau",
    "CONFPT": "Conférence des présidents",
    "MINISTERE": "Ministère",
    "COMMISSION": "Commission",
    "DELEGATION/OFFICE": "Délégation ou office",
    "ETUDE": "Groupe d'études",
    "TEMPORAIRE": "Commission ou mission temporaire",
    "AUTRE": "Autre organisme",
    "INTERNE": "Organe interne",
}
