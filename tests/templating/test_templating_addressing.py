import pytest

from app.templating.addressing import closing, of_department, office_title, salutation

CASES = [
    ("deputy", "Mme", "Madame la Députée"),
    ("deputy", "M.", "Monsieur le Député"),
    ("senator", "Mme", "Madame la Sénatrice"),
    ("senator", "M.", "Monsieur le Sénateur"),
    ("minister", "Mme", "Madame la Ministre"),
    ("minister", "M.", "Monsieur le Ministre"),
]


@pytest.mark.parametrize(("kind", "civility", "expected"), CASES)
def test_salutation_for_each_kind_and_civility(kind: str, civility: str, expected: str) -> None:
    assert salutation(kind, civility) == expected


@pytest.mark.parametrize(("kind", "civility", "expected"), CASES)
def test_closing_repeats_the_salutation(kind: str, civility: str, expected: str) -> None:
    assert closing(kind, civility) == (
        f"Je vous prie d'agréer, {expected}, l'expression de ma haute considération."
    )


def test_civility_spelled_out_is_understood() -> None:
    assert salutation("senator", "Madame") == "Madame la Sénatrice"
    assert salutation("deputy", "Monsieur") == "Monsieur le Député"


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
