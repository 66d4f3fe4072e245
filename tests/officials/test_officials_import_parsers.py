"""The official formats, parsed from the real files in ../shared/data, and hand-made bad files."""

import os
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from app.officials.importers import ImportFileError
from app.officials.importers.an import parse_an
from app.officials.importers.deputies_csv import parse_datan, parse_rne
from app.officials.importers.government import parse_government
from app.officials.importers.project import parse_project
from app.officials.importers.senate import parse_emails, parse_odsen, parse_senat_api

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
AN_DIR = SHARED_DATA / "deputes" / "an_amo10"
PAUSEAI = SHARED_DATA / "senateurs" / "pauseai_elus_deputes_senateurs_emails_2026-06-27.json"


@pytest.fixture(scope="module")
def an_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The AN folder zipped like the official download, under a top folder."""
    path = tmp_path_factory.mktemp("an") / "AMO10.json.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for file in sorted(AN_DIR.rglob("*.json")):
            archive.write(file, f"json/{file.relative_to(AN_DIR)}")
    return path


def test_an_folder_gives_the_577_sitting_deputies() -> None:
    deputies = parse_an(AN_DIR)
    assert len(deputies) == 577
    assert sum(1 for d in deputies if d.email) == 576
    assert Counter(d.civility for d in deputies) == {"M.": 364, "Mme": 213}
    groups = Counter(d.group_code for d in deputies)
    assert groups["RN"] == 122 and groups["SOC"] == 69
    assert Counter(d.department_code for d in deputies)["099"] == 11
    padey = next(d for d in deputies if d.source_id == "PA795124")
    assert (padey.department_code, padey.circonscription, padey.group_code) == ("73", 1, "DEM")
    assert padey.mandate_start is not None and padey.mandate_start.isoformat() == "2025-11-13"
    assert padey.postal_address.startswith("Assemblée nationale, 126 Rue de l'Université")


def test_an_zip_with_a_top_folder_gives_the_same_deputies(an_zip: Path) -> None:
    assert parse_an(an_zip) == parse_an(AN_DIR)


def test_truncated_zip_is_refused_with_its_name(an_zip: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "tronque.zip"
    truncated.write_bytes(an_zip.read_bytes()[: an_zip.stat().st_size // 2])
    with pytest.raises(ImportFileError) as error:
        parse_an(truncated)
    assert str(error.value).startswith(f"{truncated}:")
    assert "tronquée" in error.value.message


def test_government_members_with_portfolios_and_civilities() -> None:
    path = SHARED_DATA / "gouvernement" / "gouvernement_lecornu2_membres.json"
    members = parse_government(path, first_names={"gerald": "M.", "aurore": "Mme"})
    assert len(members) == 36
    lecornu = members[0]
    assert (lecornu.source_id, lecornu.first_name, lecornu.last_name) == (
        "PA643210",
        "Sébastien",
        "Lecornu",
    )
    assert lecornu.portfolio == "Premier ministre"
    by_name = {m.last_name: m for m in members}
    assert by_name["Le Hénanff"].first_name == "Anne"
    assert by_name["Darmanin"].civility == "M." and by_name["Bergé"].civility == "Mme"
    assert all(m.civility in {"M.", "Mme"} and m.portfolio for m in members)


def test_government_uses_the_assemblee_name_split_when_known() -> None:
    path = SHARED_DATA / "gouvernement" / "gouvernement_lecornu2_membres.json"
    members = parse_government(path, people={"PA605991": ("Mme", "Annie", "GENEVARD")})
    assert next(m for m in members if m.source_id == "PA605991").last_name == "GENEVARD"


def test_datan_and_rne() -> None:
    datan = parse_datan(SHARED_DATA / "deputes" / "datan_deputes-active.csv")
    assert len(datan) == 577 and all(d.email for d in datan)
    rne = parse_rne(SHARED_DATA / "deputes" / "rne_elus-deputes-dep.csv")
    assert len(rne) == 575
    abroad = [r for r in rne if r.department_code == "099"]
    assert sorted(r.circonscription for r in abroad) == list(range(1, 12))
    assert any(r.department_code == "977" for r in rne)


def test_senate_api_odsen_and_email_sources() -> None:
    senators = parse_senat_api(SHARED_DATA / "senateurs" / "senat_api_senateurs.json")
    assert len(senators) == 348
    assert Counter(s.group_code for s in senators)["LR"] == 130
    assert Counter(s.department_code for s in senators)["099"] == 12
    assert not any(s.email for s in senators)
    odsen = parse_odsen(SHARED_DATA / "senateurs" / "senat_ODSEN_GENERAL_2021.csv")
    assert len(odsen) == 348
    assert sum(1 for s in odsen if s.email) == 334
    assert "Non public" not in {s.email for s in odsen}
    emails = parse_emails(PAUSEAI)
    assert sum(1 for key in emails if not key.startswith("PA")) == 333
    assert emails["01058X"] == "b.sido@senat.fr"


def test_project_files_parse() -> None:
    assert len(parse_project(ROOT / "data" / "deputies.csv")) == 577
    assert len(parse_project(ROOT / "data" / "senators.csv")) == 348
    assert len(parse_project(ROOT / "data" / "ministers.csv")) == 36


HEADER = (
    "source_id,civility,first_name,last_name,group_code,group_name,department_code,"
    "department_name,circonscription,portfolio,email,phone,mandate_start\n"
)
ROW = "PA1,Mme,Anne,Test,SOC,Socialistes,75,Paris,1,,a@b.fr,,2024-07-08\n"


def _error(path: Path) -> ImportFileError:
    with pytest.raises(ImportFileError) as error:
        parse_project(path)
    return error.value


def test_utf16_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_text(HEADER + ROW, encoding="utf-16")
    error = _error(path)
    assert (error.file, error.location) == (str(path), 1)
    assert "UTF-16" in error.message


def test_wrong_separator_names_the_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "tabs.csv"
    path.write_text((HEADER + ROW).replace(",", "|"), encoding="utf-8")
    error = _error(path)
    assert (error.location, error.field) == (1, "source_id")
    assert str(error).startswith(f"{path}:1:source_id: colonne « source_id » absente")


def test_row_with_the_wrong_separator_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + ROW + ROW.replace(",", ";"), encoding="utf-8")
    error = _error(path)
    assert error.location == 3 and "colonnes" in error.message


def test_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    path.write_text(HEADER.replace(",email", "") + ROW.replace(",a@b.fr", ""), encoding="utf-8")
    error = _error(path)
    assert (error.location, error.field) == (1, "email")


def test_bad_value_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "date.csv"
    path.write_text(HEADER + ROW + ROW.replace("2024-07-08", "08/07/2024"), encoding="utf-8")
    error = _error(path)
    assert str(error) == f"{path}:3:mandate_start: date invalide « 08/07/2024 »."


@pytest.mark.parametrize("parser", [parse_project, parse_senat_api, parse_an])
def test_50_mb_junk_fails_fast(tmp_path: Path, parser) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "junk.bin"
    with path.open("wb") as out:
        for _ in range(50):
            out.write(os.urandom(1024 * 1024))
    started = time.perf_counter()
    with pytest.raises(ImportFileError) as error:
        parser(path)
    assert time.perf_counter() - started < 2
    assert error.value.file.startswith(str(path))
