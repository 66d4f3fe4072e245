"""Reading the shipped AN documents and scrutins: who signed, who voted what."""

import json
from collections import Counter
from pathlib import Path

import pytest
from stances_support import DOSSIERS, JSON_SCRUTIN, LAW, SCRUTINS

from app.legislation.models import ActRole
from app.legislation.parsing import (
    RecordFileError,
    dossier_files,
    parse_document,
    parse_scrutin,
    scrutin_files,
)


def test_the_law_on_social_networks_keeps_only_standing_cosignatures() -> None:
    raw = json.loads((DOSSIERS / "document" / f"{LAW}.json").read_text())["document"]
    cosigners = raw["coSignataires"]["coSignataire"]
    withdrawn = {c["acteur"]["acteurRef"] for c in cosigners if c["dateRetraitCosignature"]}
    assert (len(cosigners), len(withdrawn)) == (130, 2)

    record = parse_document(DOSSIERS / "document" / f"{LAW}.json")
    roles = Counter(a.role for a in record.acts)
    assert roles == {ActRole.author: 1, ActRole.cosignatory: 128}
    assert {a.actor_ref for a in record.acts if a.role == ActRole.author} == {"PA817203"}
    assert not withdrawn & {a.actor_ref for a in record.acts}
    assert record.title.startswith("proposition de loi visant à protéger les mineurs")
    assert str(record.record_date) == "2025-11-18"


def test_every_shipped_dossier_and_document_reads() -> None:
    files = list(dossier_files(DOSSIERS))
    assert (sum(doc for _, doc in files), sum(not doc for _, doc in files)) == (57, 26)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (SCRUTINS / "VTANR5L17V1725.xml", {ActRole.voted_for: 56, ActRole.non_voting: 2}),
        (SCRUTINS / "VTANR5L17V1018.xml", {ActRole.voted_for: 23, ActRole.non_voting: 1}),
    ],
)
def test_xml_scrutins_give_each_deputys_vote(path: Path, expected: dict[ActRole, int]) -> None:
    record = parse_scrutin(path)
    assert record.uid == path.stem
    assert Counter(a.role for a in record.acts) == expected
    assert all(a.acted_on == record.record_date for a in record.acts)


def test_the_json_scrutin_matches_its_own_group_counts() -> None:
    raw = json.loads(JSON_SCRUTIN.read_text())["scrutin"]
    groups = raw["ventilationVotes"]["organe"]["groupes"]["groupe"]
    totals = Counter[str]()
    for group in groups:
        for key, value in group["vote"]["decompteVoix"].items():
            totals[key] += int(value)
    roles = Counter(a.role for a in parse_scrutin(JSON_SCRUTIN).acts)
    assert roles[ActRole.voted_for] == totals["pour"]
    assert roles[ActRole.voted_against] == totals["contre"]
    assert roles[ActRole.abstained] == totals["abstentions"]


def test_broken_files_are_named_with_line_and_column(tmp_path: Path) -> None:
    broken_json = tmp_path / "VT1.json"
    broken_json.write_text('{"scrutin": {"uid": "VT1",\n  "titre": }')
    with pytest.raises(RecordFileError, match=r"VT1.json, ligne 2, colonne 12"):
        parse_scrutin(broken_json)
    broken_xml = tmp_path / "VT2.xml"
    broken_xml.write_text("<scrutin>\n<uid>VT2</uid>\n<titre></scrutin>")
    with pytest.raises(RecordFileError, match=r"VT2.xml, ligne 3, colonne"):
        parse_scrutin(broken_xml)
    empty = tmp_path / "vide"
    empty.mkdir()
    with pytest.raises(RecordFileError, match="aucun fichier"):
        scrutin_files(empty)
