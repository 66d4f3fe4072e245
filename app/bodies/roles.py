"""Roles in a body: a stable key for filters (« vice-president »), a French label, a rank."""

from app.text import fold

ROLE_LABELS = {
    "president": "Président",
    "co-president": "Co-président",
    "vice-president": "Vice-président",
    "premier-vice-president": "Premier vice-président",
    "president-d-age": "Président d'âge",
    "questeur": "Questeur",
    "secretaire": "Secrétaire",
    "secretaire-d-age": "Secrétaire d'âge",
    "tresorier": "Trésorier",
    "rapporteur": "Rapporteur",
    "co-rapporteur": "Co-rapporteur",
    "rapporteur-general": "Rapporteur général",
    "membre-de-droit": "Membre de droit",
    "titulaire": "Titulaire",
    "suppleant": "Suppléant",
    "autre-membre-du-bureau": "Autre membre du bureau",
    "membre": "Membre",
    "ministre": "Ministre",
    "ministre-delegue": "Ministre délégué",
    "en-mission": "En mission",
}
_RANKS = {key: rank for rank, key in enumerate(ROLE_LABELS)}


def role_key(label: str) -> str:
    """« Vice-Président » → « vice-president »; the form stored and filtered on."""
    return "-".join(fold(label).split())


def role_label(key: str) -> str:
    """The French label of a role key; unknown keys read as their words."""
    return ROLE_LABELS.get(key) or key.replace("-", " ").capitalize()


def role_rank(key: str) -> int:
    """Présidents first, then vice-présidents, secrétaires…, plain members last."""
    return _RANKS.get(key, len(_RANKS))
