"""French forms of address, checked on the real Government, deputies and senators."""

from pathlib import Path

import pytest

from app.officials.importers.government import parse_government
from app.officials.importers.project import parse_project
from app.officials.importers.records import OfficialRecord
from app.officials.models import Official
from app.templating.addressing import (
    closing,
    in_sentence,
    of_department,
    office_title,
    salutation,
)
from app.templating.context import official_view

ROOT = Path(__file__).resolve().parents[2]
GOVERNMENT = ROOT.parent / "shared" / "data" / "gouvernement" / "gouvernement_lecornu2_membres.json"

CASES = [
    ("deputy", "Mme", "Madame la Députée"),
    ("deputy", "M.", "Monsieur le Député"),
    ("senator", "Mme", "Madame la Sénatrice"),
    ("senator", "M.", "Monsieur le Sénateur"),
    ("minister", "Mme", "Madame la Ministre"),
    ("minister", "M.", "Monsieur le Ministre"),
]


def _official(record: OfficialRecord, kind: str) -> Official:
    fields = {name: getattr(record, name) for name in ("civility", "first_name", "last_name",
              "department_code", "department_name", "circonscription", "portfolio",
              "group_code", "group_name")}  # fmt: skip
    return Official(kind=kind, **fields)


@pytest.fixture(scope="module")
def ministers() -> dict[str, Official]:
    """The Government in the project's file, civilities as the Assemblée records them."""
    records = parse_project(ROOT / "data" / "ministers.csv")
    return {r.last_name: _official(r, "minister") for r in records}


@pytest.mark.parametrize(("kind", "civility", "expected"), CASES)
def test_salutation_for_each_kind_and_civility(kind: str, civility: str, expected: str) -> None:
    assert salutation(kind, civility) == expected


@pytest.mark.parametrize(("kind", "civility", "expected"), CASES)
def test_closing_repeats_the_salutation_in_one_voice(
    kind: str, civility: str, expected: str
) -> None:
    regard = "très haute" if kind == "minister" else "haute"
    assert closing(kind, civility) == (
        f"Je vous prie d'agréer, {expected}, l'expression de ma {regard} considération."
    )
    assert closing(kind, civility, voice="nous") == (
        f"Nous vous prions d'agréer, {expected}, l'expression de notre {regard} considération."
    )


def test_civility_spelled_out_is_understood() -> None:
    assert salutation("senator", "Madame") == "Madame la Sénatrice"
    assert salutation("deputy", "Monsieur") == "Monsieur le Député"


def test_the_prime_minister_and_the_keeper_of_the_seals(ministers: dict[str, Official]) -> None:
    prime = official_view(ministers["Lecornu"])
    assert prime["salutation"] == "Monsieur le Premier ministre"
    assert prime["function"] == "Premier ministre"  # keeps its capital inside a sentence
    assert prime["closing_nous"] == (
        "Nous vous prions d'agréer, Monsieur le Premier ministre, "
        "l'expression de notre très haute considération."
    )
    assert salutation("minister", "Mme", "Première ministre") == "Madame la Première ministre"
    justice = official_view(ministers["Darmanin"])
    assert justice["salutation"] == "Monsieur le Garde des Sceaux"
    assert justice["function"] == "garde des sceaux, ministre de la justice"


def test_every_minister_delegate_is_addressed_as_a_minister() -> None:
    members = parse_government(GOVERNMENT)
    delegates = [m for m in members if "délégué" in m.portfolio.lower()]
    assert len(delegates) >= 14
    for record in delegates:
        view = official_view(_official(record, "minister"))
        madame = record.civility == "Mme"
        assert view["salutation"] == ("Madame la Ministre" if madame else "Monsieur le Ministre")
        assert view["function"].startswith("ministre délégué")


def test_ministers_functions_in_a_sentence(ministers: dict[str, Official]) -> None:
    view = official_view(ministers["Vedrenne"])
    assert view["title"] == "Ministre déléguée chargée de la citoyenneté"
    assert view["function"] == "ministre déléguée chargée de la citoyenneté"
    assert view["salutation"] == "Madame la Ministre"


def test_real_deputies_and_senators_agree_with_their_civility() -> None:
    deputies = parse_project(ROOT / "data" / "deputies.csv")
    rossi = _official(next(r for r in deputies if r.source_id == "PA840673"), "deputy")
    view = official_view(rossi)
    assert view["salutation"] == "Madame la Députée"
    assert f"en tant que {view['function']}" == (
        "en tant que députée de la 2e circonscription des Hautes-Alpes"
    )
    senators = [_official(r, "senator") for r in parse_project(ROOT / "data" / "senators.csv")]
    women = [s for s in senators if s.civility == "Mme"]
    men = [s for s in senators if s.civility == "M."]
    assert women and men
    assert {official_view(s)["salutation"] for s in women} == {"Madame la Sénatrice"}
    assert {official_view(s)["salutation"] for s in men} == {"Monsieur le Sénateur"}
    assert all(official_view(s)["function"].startswith("sénatrice ") for s in women)
    assert official_view(women[0])["closing_nous"].startswith(
        "Nous vous prions d'agréer, Madame la Sénatrice, l'expression de notre haute"
    )


def test_in_sentence_lowers_only_the_initial() -> None:
    assert in_sentence("Sénatrice de l'Ain") == "sénatrice de l'Ain"
    assert in_sentence("Première ministre") == "Première ministre"
    assert in_sentence("") == ""


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("69", "Rhône", "du Rhône"),
        ("01", "Ain", "de l'Ain"),
        ("40", "Landes", "des Landes"),
        ("33", "Gironde", "de la Gironde"),
        ("75", "Paris", "de Paris"),
        ("37", "Indre-et-Loire", "d'Indre-et-Loire"),
        ("04", "Alpes de Haute-Provence", "des Alpes-de-Haute-Provence"),
        ("974", "Réunion", "de La Réunion"),
        ("099", "Français établis hors de France", "des Français établis hors de France"),
        ("XX", "Isle imaginaire", "d'Isle imaginaire"),
        ("XY", "Lune", "de Lune"),
    ],
)
def test_department_articles(code: str, name: str, expected: str) -> None:
    assert of_department(code, name) == expected


def test_deputy_title_agrees_and_counts_circonscriptions() -> None:
    common = {"department_code": "69", "department_name": "Rhône", "portfolio": ""}
    assert (
        office_title(kind="deputy", civility="M.", circonscription=3, **common)
        == "Député de la 3e circonscription du Rhône"
    )
    assert (
        office_title(kind="deputy", civility="Mme", circonscription=1, **common)
        == "Députée de la 1re circonscription du Rhône"
    )
    assert (
        office_title(kind="senator", civility="Mme", circonscription=None, **common)
        == "Sénatrice du Rhône"
    )


def test_minister_title_is_the_portfolio() -> None:
    title = office_title(
        kind="minister",
        civility="Mme",
        department_code="",
        department_name="",
        circonscription=None,
        portfolio="Ministre du Travail",
    )
    assert title == "Ministre du Travail"
