"""GET /api/lookup?lat=&lon=: the circonscription holding a point, from the project's contours."""

import csv
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from geo_files import GEO
from typer.testing import CliRunner

from app.cli import app as cli_app
from app.geography import contours
from app.geography.contours import CONTOURS_FILE, Seat, contour_index

SOURCE = GEO / "circo_contours_p20_par_departement"
CITIES = {"75": "751", "69": "6938", "13": "132"}  # arrondissement INSEE prefixes
# La Poste's centre of these coastal arrondissements lies at sea (their area takes in the
# islands): a point on land instead (La Joliette, Endoume, Bonneveine).
ON_LAND = {"13202": (43.3040, 5.3660), "13207": (43.2850, 5.3600), "13208": (43.2500, 5.3850)}


def commune_points() -> dict[str, tuple[float, float]]:
    """La Poste's position of each commune (its centre), by INSEE code."""
    points = {}
    with (GEO / "laposte_base-officielle-codes-postaux.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["_geopoint"]:
                lat, lon = row["_geopoint"].split(",")
                points[row["code_commune_insee"]] = (float(lat), float(lon))
    return points


def split_communes() -> dict[str, set[tuple[str, int]]]:
    """INSEE circo_composition: the communes split between circonscriptions, and those."""
    split: dict[str, set[tuple[str, int]]] = {}
    with (GEO / "insee_circo_composition.csv").open(encoding="utf-8-sig") as file:
        for row in csv.DictReader(file, delimiter=";"):
            if row["type_com"] == "partiel":
                circo = row["circo"]
                department = circo[:3] if circo.startswith("97") else circo[:2]
                seat = (department, int(circo[len(department) :]))
                split.setdefault(row["COMMUNE_RESID"], set()).add(seat)
    return split


def test_the_project_file_is_small_and_exactly_the_official_contours() -> None:
    assert CONTOURS_FILE.stat().st_size < 10_000_000
    index = contour_index()
    assert len(index.seats) == 559
    assert Seat("75", 18) in index.seats and Seat("976", 2) in index.seats
    source = contours.read_source(SOURCE)
    assert contours.encode(source, source=SOURCE.name) == CONTOURS_FILE.read_bytes()


def test_the_export_command_writes_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "contours"
    folder.mkdir()
    for department in ("75", "2A"):
        (folder / f"{department}.json").write_bytes((SOURCE / f"{department}.json").read_bytes())
    out = tmp_path / "out.bin"
    result = CliRunner().invoke(cli_app, ["geo", "contours", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "20 circonscriptions" in result.output
    seats, _ = contours.decode(out.read_bytes())
    assert {s.department_code for s in seats} == {"75", "2A"}
    empty = CliRunner().invoke(cli_app, ["geo", "contours", str(tmp_path / "nowhere")])
    assert empty.exit_code == 1 and "aucun fichier GeoJSON" in " ".join(empty.output.split())


def test_every_arrondissement_of_paris_lyon_marseille_has_one_depute(
    geo_client: TestClient,
) -> None:
    points = commune_points()
    arrondissements = [i for i in points if any(i.startswith(p) for p in CITIES.values())]
    assert len(arrondissements) == 20 + 9 + 16
    for insee in arrondissements:
        lat, lon = ON_LAND.get(insee, points[insee])
        body = geo_client.get("/api/lookup", params={"lat": lat, "lon": lon}).json()
        [deputy] = body["deputies"]
        assert deputy["department_code"] == insee[:2]
        assert deputy["source_id"].startswith("PA")
        assert body["position"] is None
        assert {s["department_code"] for s in body["senators"]} == {insee[:2]}


def test_split_communes_elsewhere_get_one_of_their_circonscriptions(
    geo_client: TestClient,
) -> None:
    points = commune_points()
    split = {
        insee: seats
        for insee, seats in split_communes().items()
        if insee in points and insee[:2] not in CITIES
    }
    assert len({insee[:2] for insee in split}) >= 10
    agreeing = 0
    for insee, seats in split.items():
        lat, lon = points[insee]
        body = geo_client.get("/api/lookup", params={"lat": lat, "lon": lon}).json()
        [deputy] = body["deputies"]
        agreeing += (deputy["department_code"], deputy["circonscription"]) in seats
    # La Poste's centre of an oddly shaped commune can fall in a neighbour (Alès, 30007).
    assert agreeing >= 0.95 * len(split)


def test_a_point_at_sea_is_not_found_in_french(geo_client: TestClient) -> None:
    response = geo_client.get("/api/lookup", params={"lat": "46.0", "lon": "-4.0"})
    assert response.status_code == 404
    assert "aucune circonscription" in response.json()["detail"]


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        ("91", "2"),
        ("48", "181"),
        ("-90.5", "0"),
        ("abc", "2"),
        ("48.8", ""),
        ("nan", "2"),
        ("inf", "2"),
        ("", "2.3"),
    ],
)
def test_bad_coordinates_are_refused(geo_client: TestClient, lat: str, lon: str) -> None:
    response = geo_client.get("/api/lookup", params={"lat": lat, "lon": lon})
    assert response.status_code == 422
    assert "degrés" in response.json()["detail"]
