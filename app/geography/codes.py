"""Code patterns of the read path (postcodes, INSEE codes, circonscriptions), free of importers."""

import re
import unicodedata

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
POSTCODE = re.compile(r"^\d{5}$")
POSTCODE_LIKE = re.compile(r"^\d[\d ]*$")
DEPARTMENT_NUMBER = re.compile(r"^\d{2,3}$")
CIRCO = re.compile(r"^(97[1-8]\d{2}|(\d\d|2[AB])\d{3})$")
# Français établis hors de France: « 099 » on officials (the Assemblée's code), « 99 » in the
# geography (La Poste and INSEE file foreign places, Monaco included, under 99).
ABROAD_GEOGRAPHY = "99"
ABROAD_OFFICIALS = "099"
# The one place La Poste serves abroad (98000, INSEE 99138) votes in the 5th circonscription.
ABROAD_SEATS = {"99138": 5}
# The 11 circonscriptions des Français établis hors de France in a few words each, checked against
# the Code électoral's tableau n° 1 ter; the country by country table is abroad_countries.csv.
ABROAD_REGIONS = {
    1: "États-Unis, Canada",
    2: "Mexique, Amérique centrale, Caraïbes, Amérique du Sud",
    3: "Royaume-Uni, Irlande, pays nordiques et baltes",
    4: "Belgique, Pays-Bas, Luxembourg",
    5: "Espagne, Portugal, Andorre, Monaco",
    6: "Suisse, Liechtenstein",
    7: "Allemagne, Autriche, Europe centrale et Balkans",
    8: "Italie, Saint-Marin, Saint-Siège, Malte, Grèce, Chypre, Turquie, Israël et Territoires "
    "palestiniens",
    9: "Maghreb, Libye, Sahel et Afrique de l'Ouest (sauf Bénin, Ghana, Nigeria et Togo)",
    10: "Afrique centrale, orientale et australe, Bénin, Ghana, Nigeria, Togo, Égypte, Proche "
    "et Moyen-Orient",
    11: "Europe orientale, Asie, Océanie",
}


def normalize_code(text: str) -> str:
    """A typed code with Unicode digits (full-width, Arabic-Indic…) made ASCII, spaces dropped."""
    folded = unicodedata.normalize("NFKC", text)
    digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in folded)
    return digits.replace(" ", "").replace("\u00a0", "").upper()
