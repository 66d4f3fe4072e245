"""Assemblée nationale AMO10/AMO30 JSON (acteur/, organe/), as a folder or as the official zip."""

import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from app.importing.errors import ImportFileError
from app.importing.files import MAX_FILE_BYTES
from app.officials.importers.records import OfficialRecord, civility, department_code

MAX_UNZIPPED_BYTES = 4 * MAX_FILE_BYTES
LEGISLATURE = "17"


def as_list(value: Any) -> list[Any]:
    """The XML-to-JSON conversion gives one child as an object and several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text(value: Any) -> str:
    """A scalar, whether plain, wrapped as {"#text": …} or nulled as {"@xsi:nil": "true"}."""
    if isinstance(value, dict):
        value = value.get("#text")
    return "" if value is None else str(value).strip()


def _members(path: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every acteur/ and organe/ JSON file, from a folder or a zip."""
    if path.is_dir():
        for file in sorted(path.rglob("*.json")):
            if file.parent.name in {"acteur", "organe"}:
                yield str(file), file.read_bytes()
        return
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if i.filename.endswith(".json")]
            if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
                raise ImportFileError(
                    path, None, None, "archive trop volumineuse une fois décompressée."
                )
            for info in infos:
                if PurePosixPath(info.filename).parent.name in {"acteur", "organe"}:
                    yield f"{path}!{info.filename}", archive.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise ImportFileError(
            path,
            None,
            None,
            f"archive zip illisible ou tronquée ({exc}) : téléchargez-la à nouveau.",
        ) from exc


def _load(name: str, data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ImportFileError(name, line, None, f"JSON invalide : {exc}.") from exc
    if not isinstance(document, dict):
        raise ImportFileError(name, 1, None, "un objet JSON « acteur » ou « organe » est attendu.")
    return document


def _postal_address(address: dict[str, Any]) -> str:
    street = " ".join(p for p in (text(address.get("numeroRue")), text(address.get("nomRue"))) if p)
    town = " ".join(p for p in (text(address.get("codePostal")), text(address.get("ville"))) if p)
    parts = (text(address.get("intitule")), street, text(address.get("complementAdresse")), town)
    return ", ".join(p.rstrip(", ") for p in parts if p.rstrip(", "))


def _contact(addresses: list[dict[str, Any]]) -> tuple[str, str, str]:
    """E-mail (the Assemblée one first), phone and official postal address."""
    emails = [text(a.get("valElec")) for a in addresses if a.get("@xsi:type") == "AdresseMail_Type"]
    emails = sorted(
        (e for e in emails if e), key=lambda e: not e.endswith("assemblee-nationale.fr")
    )
    phones = [
        text(a.get("valElec"))
        for a in addresses
        if a.get("@xsi:type") == "AdresseTelephonique_Type"
        and text(a.get("typeLibelle")) == "Téléphone"
    ]
    postal = [a for a in addresses if a.get("@xsi:type") == "AdressePostale_Type"]
    postal.sort(key=lambda a: text(a.get("type")) != "0")
    return (
        emails[0] if emails else "",
        # Some deputies list several numbers in one field: « 04… (Firminy) / 04… (Saint-Just) ».
        next((p.split(" / ")[0].strip() for p in phones if p), ""),
        _postal_address(postal[0]) if postal else "",
    )


def _deputy(
    name: str, acteur: dict[str, Any], groups: dict[str, tuple[str, str]], legislature: str
) -> OfficialRecord | None:
    active = active_mandates(acteur)
    seat = next(
        (
            m
            for m in active
            if m.get("typeOrgane") == "ASSEMBLEE" and text(m.get("legislature")) == legislature
        ),
        None,
    )
    if seat is None:
        return None
    uid = text(acteur.get("uid"))
    if not uid.startswith("PA"):
        raise ImportFileError(name, uid or "acteur", "uid", "identifiant d'acteur PA… absent.")
    ident = (acteur.get("etatCivil") or {}).get("ident") or {}
    place = (seat.get("election") or {}).get("lieu") or {}
    group_ref = next(
        (
            text((m.get("organes") or {}).get("organeRef"))
            for m in active
            if m["typeOrgane"] == "GP"
        ),
        "",
    )
    group_code, group_name = groups.get(group_ref, ("", ""))
    email, phone, postal = _contact(as_list((acteur.get("adresses") or {}).get("adresse")))
    start = text((seat.get("mandature") or {}).get("datePriseFonction")) or text(
        seat.get("dateDebut")
    )
    circo = text(place.get("numCirco"))
    try:
        return OfficialRecord(
            source_id=uid,
            civility=civility(text(ident.get("civ"))),
            first_name=text(ident.get("prenom")),
            last_name=text(ident.get("nom")),
            group_code=group_code,
            group_name=group_name,
            department_code=department_code(text(place.get("numDepartement"))),
            department_name=text(place.get("departement")),
            circonscription=int(circo) if circo else None,
            email=email,
            phone=phone,
            postal_address=postal,
            mandate_start=date.fromisoformat(start) if start else None,
            origin=uid,
        )
    except ValueError as exc:
        raise ImportFileError(name, uid, "mandat", f"valeur invalide : {exc}.") from exc


@dataclass(frozen=True)
class AmoExport:
    """The export's acteur documents (with their file names) and its organes by uid."""

    acteurs: list[tuple[str, dict[str, Any]]]
    organes: dict[str, dict[str, Any]]


def load_amo(path: Path) -> AmoExport:
    """Every acteur and organe of an AMO export, folder or zip."""
    if not path.exists():
        raise ImportFileError(path, None, None, "dossier ou fichier introuvable.")
    export = AmoExport([], {})
    for name, data in _members(path):
        document = _load(name, data)
        if "organe" in document:
            organe = document["organe"]
            export.organes[text(organe.get("uid"))] = organe
        elif "acteur" in document:
            export.acteurs.append((name, document["acteur"]))
    if not export.acteurs:
        raise ImportFileError(path, None, "acteur", "aucun fichier acteur/PA….json trouvé.")
    return export


def active_mandates(acteur: dict[str, Any]) -> list[dict[str, Any]]:
    """The acteur's mandates without an end date."""
    mandates = as_list((acteur.get("mandats") or {}).get("mandat"))
    return [m for m in mandates if not text(m.get("dateFin"))]


def parse_an(path: Path | AmoExport, *, legislature: str = LEGISLATURE) -> list[OfficialRecord]:
    """Sitting deputies (active ASSEMBLEE mandate) with their political group (GP organe)."""
    export = path if isinstance(path, AmoExport) else load_amo(path)
    groups = {
        uid: (text(organe.get("libelleAbrev")), text(organe.get("libelle")))
        for uid, organe in export.organes.items()
        if organe.get("codeType") == "GP"
    }
    records = [_deputy(name, acteur, groups, legislature) for name, acteur in export.acteurs]
    return [r for r in records if r is not None]
