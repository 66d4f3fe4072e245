import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.officials.importers import SOURCES, read_source
from app.officials.models import Official, OfficialKind
from app.officials.schemas import OfficialFilter
from app.officials.service import (
    get_official,
    officials_csv,
    search_officials,
    select_officials,
)
from app.officials.sync import apply_officials
from app.text import fold
from tests.factories import add_official

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"

PEOPLE = [
    # kind, civility, first, last, group, département, ended
    ("deputy", "M.", "Jean-Luc", "Mélenchon", "LFI-NFP", "13", None),
    ("deputy", "M.", "François", "Hollande", "SOC", "19", None),
    ("deputy", "Mme", "Marine", "Le Pen", "RN", "62", None),
    ("deputy", "M.", "Jean-Jacques", "Panunzi", "LR", "2A", None),
    ("senator", "M.", "Gérard", "Larcher", "LR", "78", None),
    ("senator", "Mme", "Françoise", "Gatel", "UC", "35", date(2024, 12, 23)),
    ("minister", "M.", "Sébastien", "Lecornu", "", "", None),
    ("minister", "M.", "François", "Bayrou", "", "", date(2025, 9, 9)),
]


@pytest.fixture
def people(session: Session) -> dict[str, Official]:
    return {
        last: add_official(
            session,
            kind=kind,
            civility=civility,
            first_name=first,
            last_name=last,
            group_code=group,
            group_name=f"Groupe {group}" if group else "",
            department_code=dep,
            department_name=f"Département {dep}" if dep else "",
            mandate_start=date(2024, 7, 18),
            mandate_end=ended,
        )
        for kind, civility, first, last, group, dep, ended in PEOPLE
    }


def names(session: Session, **filters: object) -> list[str]:
    found, total = search_officials(
        session, filters=OfficialFilter.model_validate(filters), offset=0, limit=100
    )
    assert total == len(found)
    return [o.last_name for o in found]


def test_filters_combine(session: Session, people: dict[str, Official]) -> None:
    assert names(session, kind="senator") == ["Larcher"]
    assert names(session, kind="deputy", group="lr") == ["Panunzi"]
    assert names(session, departement="2a") == ["Panunzi"]
    assert names(session, departement="13", kind="deputy") == ["Mélenchon"]
    assert names(session, group="RN", departement="13") == []


def test_active_defaults_to_sitting_false_shows_ended_none_shows_all(
    session: Session, people: dict[str, Official]
) -> None:
    assert "Bayrou" not in names(session)
    assert names(session, active=False) == ["Bayrou", "Gatel"]
    assert names(session, active="tous", kind="minister") == ["Bayrou", "Lecornu"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("melenchon", ["Mélenchon"]),
        ("MÉLENCHON", ["Mélenchon"]),
        ("jean luc", ["Mélenchon"]),
        ("francois", ["Hollande"]),
        ("le pen", ["Le Pen"]),
        ("Sébastien LECORNU", ["Lecornu"]),
    ],
)
def test_name_search_ignores_accents_and_case(
    session: Session, people: dict[str, Official], query: str, expected: list[str]
) -> None:
    assert names(session, q=query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("melanchon", ["Mélenchon"]),
        ("lecornou", ["Lecornu"]),
        ("larchet", ["Larcher"]),
        ("lepen", ["Le Pen"]),
        ("marine lepenn", ["Le Pen"]),
        ("holande", ["Hollande"]),
        ("zzkqxw", []),
    ],
)
def test_name_search_tolerates_small_typos(
    session: Session, people: dict[str, Official], query: str, expected: list[str]
) -> None:
    assert names(session, q=query) == expected


def test_typo_search_respects_the_other_filters(
    session: Session, people: dict[str, Official]
) -> None:
    assert names(session, q="bayrou") == []
    assert names(session, q="bayrou", active=False) == ["Bayrou"]
    assert names(session, q="bairou", active="tous") == ["Bayrou"]
    assert names(session, q="francoise", active=False) == ["Gatel"]
    assert names(session, q="melanchon", kind="senator") == []


def test_pagination_reports_the_total(session: Session) -> None:
    for n in range(60):
        add_official(
            session,
            kind="deputy",
            civility="Mme",
            first_name=f"Anne{n:02d}",
            last_name="Dupont",
            department_code="75",
        )
    seen = []
    for page in range(3):
        found, total = search_officials(
            session, filters=OfficialFilter(departement="75"), offset=page * 25, limit=25
        )
        assert total == 60
        seen += [o.first_name for o in found]
    assert seen == [f"Anne{n:02d}" for n in range(60)]
    found, total = search_officials(
        session, filters=OfficialFilter(q="dupond"), offset=50, limit=25
    )
    assert (len(found), total) == (10, 60)
    assert [o.first_name for o in found] == [f"Anne{n:02d}" for n in range(50, 60)]


def test_select_officials_returns_every_match(
    session: Session, people: dict[str, Official]
) -> None:
    filters = OfficialFilter(kind=OfficialKind.deputy)
    assert len(select_officials(session, filters=filters)) == 4
    assert [
        o.last_name for o in select_officials(session, filters=OfficialFilter(q="melanchon"))
    ] == ["Mélenchon"]


def test_get_official_and_french_not_found(session: Session, people: dict[str, Official]) -> None:
    assert get_official(session, official_id=people["Bayrou"].id).last_name == "Bayrou"
    with pytest.raises(NotFound, match="Aucun élu ne porte l'identifiant 999999"):
        get_official(session, official_id=999999)


def test_filter_rejects_bad_values_in_french() -> None:
    with pytest.raises(ValueError, match="type d'élu inconnu « foo »"):
        OfficialFilter.model_validate({"kind": "foo"})
    with pytest.raises(ValueError, match="code de département invalide"):
        OfficialFilter.model_validate({"departement": "Paris"})
    assert OfficialFilter.model_validate(
        {"kind": "", "q": " ", "departement": "1"}
    ) == OfficialFilter(departement="01")


def test_csv_opens_in_french_excel(session: Session, people: dict[str, Official]) -> None:
    people["Mélenchon"].phone = "+33 1 40 63 60 00"
    people["Mélenchon"].email = "jean-luc.melenchon@assemblee-nationale.fr"
    data = officials_csv(select_officials(session, filters=OfficialFilter(active=None)))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows) == len(PEOPLE)
    by_name = {row["Nom"]: row for row in rows}
    assert by_name["Mélenchon"]["Prénom"] == "Jean-Luc"
    assert by_name["Mélenchon"]["Type"] == "Député"
    assert by_name["Le Pen"]["Type"] == "Députée"
    assert by_name["Gatel"]["Type"] == "Sénatrice"
    assert by_name["Gatel"]["Fin de mandat"] == "23/12/2024"
    assert by_name["Gatel"]["Début de mandat"] == "18/07/2024"
    assert by_name["Mélenchon"]["Téléphone"] == "'+33 1 40 63 60 00"
    assert by_name["Mélenchon"]["E-mail"] == "jean-luc.melenchon@assemblee-nationale.fr"
    assert by_name["Panunzi"]["Département (code)"] == "2A"


def test_search_on_the_real_directory(session: Session) -> None:
    for name, path in [
        ("datan", SHARED_DATA / "deputes" / "datan_deputes-active.csv"),
        ("senat", SHARED_DATA / "senateurs" / "senat_api_senateurs.json"),
        ("government", SHARED_DATA / "gouvernement" / "gouvernement_lecornu2_membres.json"),
    ]:
        records, fields = read_source(name, path)
        apply_officials(
            session,
            kind=SOURCES[name].kind,
            records=records,
            actor=None,
            source_label=name,
            fields=fields,
        )
    assert names(session, q="lecornu") == ["Lecornu"]
    assert names(session, q="retaillau") == ["Retailleau"]
    assert names(session, q="matilde pano") == ["Panot"]
    assert names(session, q="gabriel atal") == ["Attal"]
    francois = search_officials(session, filters=OfficialFilter(q="francois"), offset=0, limit=500)
    assert francois[1] >= 10
    assert all("franc" in fold(o.first_name) for o in francois[0])
    for kind, count in [("deputy", 577), ("senator", 348)]:
        _, total = search_officials(session, filters=OfficialFilter(kind=kind), offset=0, limit=1)
        assert total == count
