"""French forms of address: salutation, closing formula and office title, with agreement."""

from typing import Literal

from app.labels import ordinal
from app.officials.models import OfficialKind
from app.text import fold

# "de" + département, with its article, keyed by code (names vary between sources).
_DEPARTMENT_OF: dict[str, str] = {
    "01": "de l'Ain", "02": "de l'Aisne", "03": "de l'Allier",
    "04": "des Alpes-de-Haute-Provence", "05": "des Hautes-Alpes", "06": "des Alpes-Maritimes",
    "07": "de l'Ardèche", "08": "des Ardennes", "09": "de l'Ariège", "10": "de l'Aube",
    "11": "de l'Aude", "12": "de l'Aveyron", "13": "des Bouches-du-Rhône", "14": "du Calvados",
    "15": "du Cantal", "16": "de la Charente", "17": "de la Charente-Maritime", "18": "du Cher",
    "19": "de la Corrèze", "2A": "de la Corse-du-Sud", "2B": "de la Haute-Corse",
    "21": "de la Côte-d'Or", "22": "des Côtes-d'Armor", "23": "de la Creuse",
    "24": "de la Dordogne", "25": "du Doubs", "26": "de la Drôme", "27": "de l'Eure",
    "28": "d'Eure-et-Loir", "29": "du Finistère", "30": "du Gard", "31": "de la Haute-Garonne",
    "32": "du Gers", "33": "de la Gironde", "34": "de l'Hérault", "35": "d'Ille-et-Vilaine",
    "36": "de l'Indre", "37": "d'Indre-et-Loire", "38": "de l'Isère", "39": "du Jura",
    "40": "des Landes", "41": "de Loir-et-Cher", "42": "de la Loire", "43": "de la Haute-Loire",
    "44": "de la Loire-Atlantique", "45": "du Loiret", "46": "du Lot",
    "47": "de Lot-et-Garonne", "48": "de la Lozère", "49": "de Maine-et-Loire",
    "50": "de la Manche", "51": "de la Marne", "52": "de la Haute-Marne", "53": "de la Mayenne",
    "54": "de Meurthe-et-Moselle", "55": "de la Meuse", "56": "du Morbihan",
    "57": "de la Moselle", "58": "de la Nièvre", "59": "du Nord", "60": "de l'Oise",
    "61": "de l'Orne", "62": "du Pas-de-Calais", "63": "du Puy-de-Dôme",
    "64": "des Pyrénées-Atlantiques", "65": "des Hautes-Pyrénées",
    "66": "des Pyrénées-Orientales", "67": "du Bas-Rhin", "68": "du Haut-Rhin",
    "69": "du Rhône", "70": "de la Haute-Saône", "71": "de Saône-et-Loire", "72": "de la Sarthe",
    "73": "de la Savoie", "74": "de la Haute-Savoie", "75": "de Paris",
    "76": "de la Seine-Maritime", "77": "de Seine-et-Marne", "78": "des Yvelines",
    "79": "des Deux-Sèvres", "80": "de la Somme", "81": "du Tarn", "82": "de Tarn-et-Garonne",
    "83": "du Var", "84": "de Vaucluse", "85": "de la Vendée", "86": "de la Vienne",
    "87": "de la Haute-Vienne", "88": "des Vosges", "89": "de l'Yonne",
    "90": "du Territoire de Belfort", "91": "de l'Essonne", "92": "des Hauts-de-Seine",
    "93": "de la Seine-Saint-Denis", "94": "du Val-de-Marne", "95": "du Val-d'Oise",
    "971": "de la Guadeloupe", "972": "de la Martinique", "973": "de la Guyane",
    "974": "de La Réunion", "975": "de Saint-Pierre-et-Miquelon", "976": "de Mayotte",
    "977": "de Saint-Barthélemy et Saint-Martin", "978": "de Saint-Martin",
    "986": "de Wallis-et-Futuna", "987": "de la Polynésie française",
    "988": "de la Nouvelle-Calédonie", "099": "des Français établis hors de France",
    "99": "des Français établis hors de France", "ZZ": "des Français établis hors de France",
}  # fmt: skip

_VOWELS = tuple("AEIOUYÉÈÊÎÏÔaeiouyéèêîïôHh")

_NOUNS = {
    OfficialKind.deputy: ("Député", "Députée"),
    OfficialKind.senator: ("Sénateur", "Sénatrice"),
    OfficialKind.minister: ("Ministre", "Ministre"),
}


def is_woman(civility: str) -> bool:
    """« Mme », « Madame » or « Mlle » address a woman; anything else a man."""
    return civility.strip().rstrip(".").lower() in {"mme", "madame", "mlle", "mademoiselle"}


def _government_noun(civility: str, portfolio: str) -> str:
    """The Prime Minister, the Keeper of the Seals, a secretary of state; every other member
    of the Government, ministres délégués included, is addressed as a minister."""
    folded = fold(portfolio)
    if folded.startswith(("premier ministre", "premiere ministre")):
        return "Première ministre" if is_woman(civility) else "Premier ministre"
    if folded.startswith("garde des sceaux"):
        return "Garde des Sceaux"
    if folded.startswith("secretaire d etat"):
        return "Secrétaire d'État"
    return "Ministre"


def office_noun(kind: str, civility: str, portfolio: str = "") -> str:
    """« Député(e) », « Sénateur » / « Sénatrice », « Ministre », « Premier ministre »…"""
    if kind == OfficialKind.minister:
        return _government_noun(civility, portfolio)
    masculine, feminine = _NOUNS.get(OfficialKind(kind), ("Élu", "Élue"))
    return feminine if is_woman(civility) else masculine


def salutation(kind: str, civility: str, portfolio: str = "") -> str:
    """« Madame la Députée », « Monsieur le Sénateur », « Monsieur le Premier ministre »…"""
    noun = office_noun(kind, civility, portfolio)
    return f"Madame la {noun}" if is_woman(civility) else f"Monsieur le {noun}"


def closing(
    kind: str, civility: str, portfolio: str = "", *, voice: Literal["je", "nous"] = "je"
) -> str:
    """The closing formula, the salutation repeated as French letters require; « très haute
    considération » for members of the Government. `voice`: one writer, or the association."""
    regard = "très haute" if kind == OfficialKind.minister else "haute"
    addressed = salutation(kind, civility, portfolio)
    if voice == "nous":
        return (
            f"Nous vous prions d'agréer, {addressed}, l'expression de notre {regard} considération."
        )
    return f"Je vous prie d'agréer, {addressed}, l'expression de ma {regard} considération."


def of_department(code: str, name: str) -> str:
    """« du Rhône », « de l'Ain », « des Landes », « de Paris »; a rule for unknown codes."""
    known = _DEPARTMENT_OF.get(code.upper())
    if known:
        return known
    if not name:
        return ""
    return f"d'{name}" if name.startswith(_VOWELS) else f"de {name}"


def office_title(
    *,
    kind: str,
    civility: str,
    department_code: str,
    department_name: str,
    circonscription: int | None,
    portfolio: str,
) -> str:
    """« Députée de la 3e circonscription du Rhône », « Sénateur de l'Ain », a minister's title."""
    noun = office_noun(kind, civility, portfolio)
    if kind == OfficialKind.minister:
        return portfolio or noun
    where = of_department(department_code, department_name)
    if kind == OfficialKind.deputy and circonscription:
        return f"{noun} de la {ordinal(circonscription)} circonscription {where}".rstrip()
    return f"{noun} {where}".rstrip()


def in_sentence(title: str) -> str:
    """A title inside a sentence takes a lower-case initial (« en tant que députée de… »);
    « Premier ministre » keeps its capital, as the Imprimerie nationale rules have it."""
    if not title or fold(title).startswith(("premier ministre", "premiere ministre")):
        return title
    return title[0].lower() + title[1:]
