"""« Find my representative » on the real project data, SQLite and PostgreSQL."""

import pytest
from sqlalchemy import Engine, func, select

from app.errors import Invalid, NotFound
from app.geography.lookup import (
    LookupResult,
    lookup_commune_name,
    lookup_insee,
    lookup_postcode,
)
from app.geography.models import Commune, PostalCode


def postcode(engine: Engine, code: str) -> LookupResult:
    with engine.connect() as connection:
        return lookup_postcode(connection, postcode=code)


def seats(result: LookupResult) -> set[tuple[str, int]]:
    return {(row["department_code"], row["circonscription"]) for row in result.deputies}


def test_every_postcode_in_the_database_has_a_commune(geo_engine: Engine) -> None:
    with geo_engine.connect() as connection:
        served = connection.scalar(
            select(func.count(func.distinct(PostalCode.postcode))).join(
                Commune, Commune.insee == PostalCode.insee
            )
        )
    assert served == 6328


def test_paris_11e_lists_every_candidate_circonscription(geo_engine: Engine) -> None:
    result = postcode(geo_engine, "75011")
    [commune] = result.communes
    assert (commune.insee, commune.name) == ("75111", "Paris 11e Arrondissement")
    assert len(commune.circonscriptions) == 18
    assert all(partial for _, _, partial in commune.circonscriptions)
    assert seats(result) == {("75", n) for n in range(1, 19)}
    assert {row["department_code"] for row in result.senators} == {"75"}
    assert len(result.senators) == 12
    assert not result.notices


def test_a_partial_commune_returns_each_of_its_circonscriptions(geo_engine: Engine) -> None:
    with geo_engine.connect() as connection:
        result = lookup_insee(connection, insee="01053")
    [commune] = result.communes
    assert commune.name == "Bourg-en-Bresse"
    assert commune.circonscriptions == [("01", 1, True), ("01", 4, True)]
    assert seats(result) == {("01", 1), ("01", 4)}


def test_marseille_arrondissement(geo_engine: Engine) -> None:
    result = postcode(geo_engine, "13001")
    [commune] = result.communes
    assert commune.insee == "13201"
    assert len(commune.circonscriptions) > 1
    assert seats(result) == {(d, n) for d, n, _ in commune.circonscriptions}
    assert all(row["department_code"] == "13" for row in result.senators)


@pytest.mark.parametrize(("code", "department"), [("20000", "2A"), ("20200", "2B")])
def test_corsica(geo_engine: Engine, code: str, department: str) -> None:
    result = postcode(geo_engine, code)
    assert {c.department_code for c in result.communes} == {department}
    assert result.deputies and {d for d, _ in seats(result)} == {department}
    assert {row["department_code"] for row in result.senators} == {department}


def test_guadeloupe(geo_engine: Engine) -> None:
    result = postcode(geo_engine, "97110")
    [commune] = result.communes
    assert commune.name == "Pointe-à-Pitre"
    assert [d for d, _, _ in commune.circonscriptions] == ["971"]
    assert len(result.deputies) == 1
    assert {row["department_code"] for row in result.senators} == {"971"}


def test_a_postcode_serving_several_communes_returns_them_all(geo_engine: Engine) -> None:
    result = postcode(geo_engine, "51300")
    assert len(result.communes) == 46
    assert len(seats(result)) >= 1


def test_cross_border_commune_has_both_departments_officials(geo_engine: Engine) -> None:
    with geo_engine.connect() as connection:
        result = lookup_insee(connection, insee="51171")
    assert seats(result) == {("02", 1), ("51", 1)}
    assert {row["department_code"] for row in result.senators} == {"02", "51"}


@pytest.mark.parametrize("bad", ["7501", "750111", "ABCDE", "75 011x", ""])
def test_malformed_postcode(geo_engine: Engine, bad: str) -> None:
    with pytest.raises(Invalid, match="5 chiffres"):
        postcode(geo_engine, bad)


def test_unknown_postcode(geo_engine: Engine) -> None:
    with pytest.raises(NotFound, match="00000"):
        postcode(geo_engine, "00000")


@pytest.mark.parametrize(
    ("code", "department", "deputies"),
    [("97500", "975", 1), ("97600", "976", 2), ("97133", "977", 1), ("97150", "977", 1)],
)
def test_overseas_without_circonscription_data_says_so(
    geo_engine: Engine, code: str, department: str, deputies: int
) -> None:
    result = postcode(geo_engine, code)
    assert result.notices and "n'est pas dans nos données" in result.notices[0]
    assert len(result.deputies) == deputies
    assert {row["department_code"] for row in result.deputies} == {department}
    assert len(result.senators) >= 1


def test_monaco_is_abroad_in_the_fifth_circonscription(geo_engine: Engine) -> None:
    result = postcode(geo_engine, "98000")
    assert "hors de France" in result.notices[0]
    assert [(d["department_code"], d["circonscription"]) for d in result.deputies] == [("099", 5)]
    assert len(result.senators) == 12
    assert {s["department_code"] for s in result.senators} == {"099"}


def test_commune_name_is_accent_and_case_insensitive(geo_engine: Engine) -> None:
    with geo_engine.connect() as connection:
        for query in ("saint-etienne", "SAINT ÉTIENNE", " Saint-Étienne "):
            result = lookup_commune_name(connection, name=query)
            assert [(c.insee, c.name) for c in result.communes] == [("42218", "Saint-Étienne")]
        several = lookup_commune_name(connection, name="saint-etienne-de")
        assert len(several.communes) > 1
        assert all(c.name.startswith("Saint-Étienne-de") for c in several.communes)
        with pytest.raises(NotFound):
            lookup_commune_name(connection, name="xyzzy-sur-rien")
