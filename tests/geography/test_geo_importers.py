"""The official geography files, parsed from ../shared/data, and hand-made bad files."""

import csv
from pathlib import Path

import pytest
from geo_files import GEO, OFFICIAL_FILES, ROOT

from app.geography import project_files
from app.geography.importers import GeographyData, build_geography, read_circos, read_postcodes
from app.importing.errors import ImportFileError

LA_POSTE = GEO / "laposte_base-officielle-codes-postaux.csv"


def la_poste_postcodes() -> set[str]:
    with LA_POSTE.open(encoding="utf-8", newline="") as file:
        return {row["code_postal"] for row in csv.DictReader(file)}


def test_every_la_poste_postcode_resolves_to_a_commune(official_geography: GeographyData) -> None:
    served = {postcode for postcode, insee in official_geography.postal_codes}
    assert served == la_poste_postcodes()
    assert len(served) == 6328
    assert all(insee in official_geography.communes for _, insee in official_geography.postal_codes)


def test_communes_come_from_cog_2026_plus_what_la_poste_still_serves(
    official_geography: GeographyData,
) -> None:
    communes = official_geography.communes
    assert communes["75111"].name == "Paris 11e Arrondissement"
    assert communes["13201"].department_code == "13"
    assert communes["2A004"].name == "Ajaccio"
    assert communes["97101"].department_code == "971"
    # merged away since 2024 but still in La Poste's base: kept, under the COG's own name
    assert communes["02311"].department_code == "02"
    assert communes["97502"].department_code == "975"
    assert official_geography.departments["975"] == "Saint-Pierre-et-Miquelon"
    assert official_geography.departments["2B"] == "Haute-Corse"


def test_circonscriptions_overseas_corsica_and_cross_border(
    official_geography: GeographyData,
) -> None:
    circos = official_geography.circonscriptions
    assert circos[("97101", "971", 1)] is False
    assert circos[("2A004", "2A", 1)] is True
    assert circos[("01053", "01", 1)] is True and circos[("01053", "01", 4)] is True
    # Cormicy (Marne) was merged with a commune of the Aisne: both départements' seats
    assert {k[1:] for k in circos if k[0] == "51171"} == {("02", 1), ("51", 1)}
    # arrondissements inherit their city's seats, all as candidates
    assert sum(1 for k in circos if k[0] == "75111") == 18
    assert all(partial for k, partial in circos.items() if k[0] == "13201")


def test_project_files_are_the_exporters_output_of_the_official_files(
    official_geography: GeographyData,
) -> None:
    rendered = project_files.render(official_geography)
    on_disk = project_files.read_raw(ROOT / "data" / "geography")
    assert on_disk == rendered
    assert sum(len(content) for content in rendered.values()) < 4_000_000


def test_legacy_hexasmal_layout_reads_like_the_data_gouv_csv(tmp_path: Path) -> None:
    legacy = tmp_path / "laposte_hexasmal.csv"
    with LA_POSTE.open(encoding="utf-8", newline="") as source:
        lines = ["#Code_commune_INSEE;Nom_de_la_commune;Code_postal;Libellé_d_acheminement;Ligne_5"]
        for row in csv.DictReader(source):
            fields = ("code_commune_insee", "nom_de_la_commune", "code_postal")
            values = [row[f] for f in fields]
            values += [row["libelle_d_acheminement"], row["ligne_5"]]
            lines.append(";".join(values))
    legacy.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    assert read_postcodes(legacy) == read_postcodes(LA_POSTE)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_missing_column_names_the_file_and_column(tmp_path: Path) -> None:
    bad = write(tmp_path / "circo.csv", "DEP;COMMUNE_RESID;type_com\n01;01001;entière\n")
    with pytest.raises(ImportFileError) as error:
        read_circos(bad)
    assert str(error.value).startswith(f"{bad}:1:circo:")


def test_wrong_separator_is_a_clear_error(tmp_path: Path) -> None:
    bad = write(tmp_path / "cp.csv", "code_commune_insee|code_postal\n01001|01400\n")
    with pytest.raises(ImportFileError, match="séparateur"):
        read_postcodes(bad)


def test_bad_value_names_line_and_column(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "circo.csv",
        "\ufeffDEP;COMMUNE_RESID;circo;type_com\n01;01001;01004;entière\n01;01002;1X5;entière\n",
    )
    with pytest.raises(ImportFileError) as error:
        read_circos(bad)
    assert str(error.value).startswith(f"{bad}:3:circo:")


def test_a_bad_file_among_the_four_stops_the_build(tmp_path: Path) -> None:
    junk = write(tmp_path / "junk.csv", "\x00" * 1000, encoding="latin-1")
    with pytest.raises(ImportFileError, match="binaire"):
        build_geography(**{**OFFICIAL_FILES, "postcodes": junk})
