"""Code patterns of the read path (postcodes, INSEE codes, circonscriptions), free of importers."""

import re
import unicodedata

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
POSTCODE = re.compile(r"^\d{5}$")
POSTCODE_LIKE = re.compile(r"^\d[\d ]*$")
CIRCO = re.compile(r"^(97[1-8]\d{2}|(\d\d|2[AB])\d{3})$")
# Français établis hors de France: « 099 » on officials (the Assemblée's code), « 99 » in the
# geography (La Poste and INSEE file foreign places, Monaco included, under 99).
ABROAD_GEOGRAPHY = "99"
ABROAD_OFFICIALS = "099"


def normalize_code(text: str) -> str:
    """A typed code with Unicode digits (full-width, Arabic-Indic…) made ASCII, spaces dropped."""
    folded = unicodedata.normalize("NFKC", text)
    digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in folded)
    return digits.replace(" ", "").replace("\u00a0", "").upper()
