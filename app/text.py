"""Text helpers shared by search and import: accent- and case-insensitive folding."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """ASCII lower-case form for search: « Élisabeth BORNE-Dupré » → « elisabeth borne dupre »."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NON_ALNUM.sub(" ", ascii_only).strip()
