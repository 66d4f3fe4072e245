"""Where the official geography files are (shared by the geography tests and their fixtures)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GEO = ROOT.parent / "shared" / "data" / "geo"
OFFICIAL_FILES = {
    "communes": GEO / "insee_cog2026_v_commune_2026.csv",
    "departements": GEO / "insee_cog2026_v_departement_2026.csv",
    "postcodes": GEO / "laposte_base-officielle-codes-postaux.csv",
    "circos": GEO / "insee_circo_composition.csv",
}
