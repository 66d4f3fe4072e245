"""Français établis hors de France: the country where a person lives → the one of the 11
circonscriptions that covers it.

The table is the project's own file, `data/geography/abroad_countries.csv`, written by hand from
the Code électoral, « tableau n° 1 ter annexé » (tableau des circonscriptions électorales des
Français établis hors de France, Légifrance), one row per country with the other names people
type (« USA », « Angleterre », « Myanmar »). It is read once per process, like the contours.
"""

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from app.text import fold

ROOT = Path(__file__).resolve().parent.parent.parent
COUNTRIES_FILE = ROOT / "data" / "geography" / "abroad_countries.csv"
CIRCONSCRIPTIONS = range(1, 12)
MAX_SUGGESTIONS = 3
MIN_SCORE = 75


@dataclass(frozen=True)
class Country:
    name: str
    circonscription: int
    also_known_as: tuple[str, ...] = ()


class CountryTable:
    """The countries, alphabetically, and every folded name or alias → its country."""

    def __init__(self, countries: list[Country]) -> None:
        self.countries = sorted(countries, key=lambda c: fold(c.name))
        self._by_name: dict[str, Country] = {}
        for country in self.countries:
            for name in (country.name, *country.also_known_as):
                self._by_name[fold(name)] = country

    def find(self, text: str) -> Country | None:
        """The country named (any spelling of case, accents, hyphens), or None."""
        return self._by_name.get(fold(text))

    def suggest(self, text: str) -> list[Country]:
        """The closest countries to a misspelt name, best first."""
        found = process.extract(
            fold(text), list(self._by_name), scorer=fuzz.ratio, limit=2 * MAX_SUGGESTIONS
        )
        close: list[Country] = []
        for name, score, _ in found:
            country = self._by_name[name]
            if score >= MIN_SCORE and country not in close:
                close.append(country)
        return close[:MAX_SUGGESTIONS]

    def in_circonscription(self, number: int) -> list[Country]:
        return [c for c in self.countries if c.circonscription == number]


def read_countries(path: Path) -> CountryTable:
    """The table from its CSV (`circonscription,country,also_known_as`, aliases split by `;`)."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    countries = [
        Country(
            name=row["country"],
            circonscription=int(row["circonscription"]),
            also_known_as=tuple(a for a in row["also_known_as"].split(";") if a),
        )
        for row in rows
    ]
    return CountryTable(countries)


@lru_cache(maxsize=1)
def country_table() -> CountryTable:
    return read_countries(COUNTRIES_FILE)
