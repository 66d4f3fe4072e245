"""Sénat groups carry their current short names (LR, SER, CRCE-K…), never the API's legacy
codes (UMP, LREM, CRC), from the real files, and a re-import corrects an older database."""

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.officials.importers import read_source
from app.officials.importers.senate import parse_odsen, parse_senat_api, senate_group
from app.officials.models import Official
from app.officials.sync import apply_officials

ROOT = Path(__file__).resolve().parents[2]
SENATE = ROOT.parent / "shared" / "data" / "senateurs"
LEGACY = {"UMP", "LREM", "CRC", "RTLI", "SOC"}


def test_the_api_file_gets_current_short_names() -> None:
    groups = Counter(s.group_code for s in parse_senat_api(SENATE / "senat_api_senateurs.json"))
    assert groups == {
        "LR": 130, "SER": 65, "UC": 59, "LIRT": 20, "RDPI": 19, "CRCE-K": 18, "RDSE": 17,
        "GEST": 16, "NI": 4,
    }  # fmt: skip


def test_the_2021_odsen_file_keeps_the_names_of_its_time() -> None:
    groups = Counter(s.group_code for s in parse_odsen(SENATE / "senat_ODSEN_GENERAL_2021.csv"))
    assert groups["LR"] == 146 and groups["LIRT"] == 13 and groups["CRCE"] == 15
    assert not LEGACY & set(groups) and "Les Républicains" not in groups


@pytest.mark.parametrize(
    ("code", "label", "expected"),
    [
        ("UMP", "Groupe Les Républicains", "LR"),
        ("CRC", "Groupe Communiste Républicain Citoyen et Écologiste - Kanaky", "CRCE-K"),
        ("RDSE", "Groupe du Rassemblement Démocratique et Social Européen", "RDSE"),
        ("SER", "SER", "SER"),
        ("XYZ", "Groupe d'un nouveau nom", "XYZ"),
    ],
)
def test_short_name_from_the_label(code: str, label: str, expected: str) -> None:
    assert senate_group(code, label) == expected


def test_the_project_file_and_a_reimport_correct_legacy_codes(session: Session) -> None:
    records, fields = read_source("project-senators", ROOT / "data" / "senators.csv")
    assert not LEGACY & {r.group_code for r in records}
    stale = [
        dataclasses.replace(r, group_code="UMP") if r.group_code == "LR" else r for r in records
    ]
    apply_officials(session, kind="senator", records=stale, actor=None, source_label="ancien")
    report = apply_officials(
        session, kind="senator", records=records, actor=None, source_label="data", fields=fields
    )
    assert len(report.updated) == 130
    codes = Counter(o.group_code for o in session.query(Official).filter_by(kind="senator"))
    assert codes["LR"] == 130 and "UMP" not in codes
