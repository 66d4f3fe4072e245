"""Reading the AN open-data exports: documents (authors, co-signatories) and scrutins (votes)."""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml.ElementTree import parse as parse_xml

from app.legislation.models import ActRole, RecordKind

NS = "{http://schemas.assemblee-nationale.fr/referentiel}"
VOTE_ROLES = {
    "pours": ActRole.voted_for,
    "contres": ActRole.voted_against,
    "abstentions": ActRole.abstained,
    "nonVotants": ActRole.non_voting,
}


class RecordFileError(Exception):
    """A file that cannot be read, named with the line and column when the parser knows them."""


@dataclass(frozen=True)
class ParsedAct:
    actor_ref: str
    role: ActRole
    acted_on: date | None


@dataclass(frozen=True)
class ParsedRecord:
    uid: str
    kind: RecordKind
    title: str
    record_date: date | None
    dossier_ref: str = ""
    acts: list[ParsedAct] = field(default_factory=list)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _day(value: Any) -> date | None:
    """« 2025-12-24+01:00 » or « 2025-11-18T00:00:00.000+01:00 » → the date."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def load_json(content: bytes, source: str | Path) -> dict[str, Any]:
    """A JSON object from bytes; errors name the source, line and column."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise RecordFileError(
            f"{source}, ligne {exc.lineno}, colonne {exc.colno} : {exc.msg}"
        ) from None
    except UnicodeDecodeError as exc:
        raise RecordFileError(f"{source} : encodage illisible ({exc.reason})") from None
    if not isinstance(data, dict):
        raise RecordFileError(f"{source}, ligne 1, colonne 1 : un objet JSON est attendu")
    return data


def _load_json(path: Path) -> dict[str, Any]:
    return load_json(path.read_bytes(), path)


def required(node: dict[str, Any], key: str, source: str | Path) -> dict[str, Any]:
    """The `key` object of an export file, which must carry a uid."""
    value = node.get(key)
    if not isinstance(value, dict) or not value.get("uid"):
        raise RecordFileError(f"{source}, ligne 1, colonne 1 : objet « {key} » avec un uid attendu")
    return value


def parse_document(path: Path) -> ParsedRecord:
    """A `document` JSON: its author(s) and the co-signatories who did not withdraw."""
    return document_record(required(_load_json(path), "document", path))


def document_record(doc: dict[str, Any]) -> ParsedRecord:
    """The record of a `document` object (the file's `document` key)."""
    deposited = _day(((doc.get("cycleDeVie") or {}).get("chrono") or {}).get("dateDepot"))
    acts: dict[str, ParsedAct] = {}
    for author in _as_list((doc.get("auteurs") or {}).get("auteur")):
        ref = ((author or {}).get("acteur") or {}).get("acteurRef")
        if ref:  # authors that are organes (a commission) have no acteur
            acts[ref] = ParsedAct(ref, ActRole.author, deposited)
    for cosigner in _as_list((doc.get("coSignataires") or {}).get("coSignataire")):
        ref = ((cosigner or {}).get("acteur") or {}).get("acteurRef")
        if ref and not cosigner.get("dateRetraitCosignature") and ref not in acts:
            acts[ref] = ParsedAct(ref, ActRole.cosignatory, _day(cosigner.get("dateCosignature")))
    titles = doc.get("titres") or {}
    return ParsedRecord(
        uid=str(doc["uid"]),
        kind=RecordKind.document,
        title=str(titles.get("titrePrincipal") or titles.get("titrePrincipalCourt") or ""),
        record_date=deposited,
        dossier_ref=str(doc.get("dossierRef") or ""),
        acts=list(acts.values()),
    )


def parse_dossier(path: Path) -> ParsedRecord:
    """A `dossierParlementaire` JSON: its uid and title (texts and votes cite it)."""
    dossier = required(_load_json(path), "dossierParlementaire", path)
    title = (dossier.get("titreDossier") or {}).get("titre") or ""
    return ParsedRecord(
        uid=str(dossier["uid"]), kind=RecordKind.dossier, title=str(title), record_date=None
    )


def _vote_acts(groups: list[dict[str, Any]]) -> list[ParsedAct]:
    acts: dict[str, ParsedAct] = {}
    for group in groups:
        nominal = ((group or {}).get("vote") or {}).get("decompteNominatif") or {}
        for key, role in VOTE_ROLES.items():
            for voter in _as_list((nominal.get(key) or {}).get("votant")):
                if ref := (voter or {}).get("acteurRef"):
                    acts[ref] = ParsedAct(ref, role, None)
    return list(acts.values())


def _scrutin(data: dict[str, Any]) -> ParsedRecord:
    groups = _as_list(
        ((data.get("ventilationVotes") or {}).get("organe") or {}).get("groupes", {}).get("groupe")
    )
    day = _day(data.get("dateScrutin"))
    acts = [ParsedAct(a.actor_ref, a.role, day) for a in _vote_acts(groups)]
    objet = data.get("objet") or {}
    return ParsedRecord(
        uid=str(data["uid"]),
        kind=RecordKind.scrutin,
        title=str(data.get("titre") or objet.get("libelle") or ""),
        record_date=day,
        dossier_ref=str((objet.get("dossierLegislatif") or "") if isinstance(objet, dict) else ""),
        acts=acts,
    )


def _xml_to_dict(element: Element) -> Any:
    """The AN XML as the same nested dicts and lists as its JSON export."""
    children = list(element)
    if not children:
        return element.text.strip() if element.text and element.text.strip() else None
    result: dict[str, Any] = {}
    for child in children:
        key = child.tag.removeprefix(NS)
        value = _xml_to_dict(child)
        if key in result:
            result[key] = [*_as_list(result[key]), value]
        else:
            result[key] = value
    return result


def parse_scrutin(path: Path) -> ParsedRecord:
    """A scrutin, XML or JSON: each deputy's pour, contre, abstention or non-votant."""
    if path.suffix.lower() == ".xml":
        try:
            root = parse_xml(path).getroot()
        except ParseError as exc:
            line, column = exc.position
            raise RecordFileError(
                f"{path}, ligne {line}, colonne {column} : XML invalide"
            ) from None
        data = _xml_to_dict(root)
        if root.tag.removeprefix(NS) != "scrutin" or not isinstance(data, dict):
            raise RecordFileError(f"{path}, ligne 1, colonne 1 : élément <scrutin> attendu")
    else:
        data = _load_json(path).get("scrutin")
    if not isinstance(data, dict) or not data.get("uid"):
        raise RecordFileError(f"{path}, ligne 1, colonne 1 : scrutin avec un uid attendu")
    return _scrutin(data)


def dossier_files(folder: Path) -> Iterator[tuple[Path, bool]]:
    """(file, is_document) for `dossierParlementaire/*.json` then `document/*.json`."""
    found = False
    for sub, is_document in (("dossierParlementaire", False), ("document", True)):
        for path in sorted((folder / sub).glob("*.json")):
            found = True
            yield path, is_document
    if not found:
        raise RecordFileError(f"{folder} : ni dossierParlementaire/ ni document/ avec des .json")


def scrutin_files(path: Path) -> list[Path]:
    """One file, or every .xml and .json file of a folder."""
    if path.is_file():
        return [path]
    files = sorted(p for p in path.glob("*") if p.suffix.lower() in (".xml", ".json"))
    if not files:
        raise RecordFileError(f"{path} : aucun fichier .xml ou .json de scrutin")
    return files
