"""Bodies and memberships from the AN AMO export, the Sénat API and the government's portfolios."""

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from app.bodies.records import BodyRecord, MembershipRecord
from app.bodies.roles import role_key
from app.importing.errors import ImportFileError
from app.importing.jsonfile import field, load_json
from app.officials.importers.an import AmoExport, active_mandates, as_list, text
from app.text import fold

# The AN organes worth targeting; groups (GP), parties, the chamber and seats are not bodies.
AN_KINDS = frozenset(
    {"COMPER", "CNPE", "CNPS", "CMP", "COMNL", "DELEG", "DELEGBUREAU", "OFFPAR", "MISINFO"}
    | {"MISINFOCOM", "GE", "GEVI", "GA", "API", "ORGEXTPARL", "BUREAU", "CONFPT", "MINISTERE"}
)
AN_CHAMBERS = ("an", "gouvernement")
SENAT_CHAMBERS = ("senat",)


def _body(organe: dict[str, Any]) -> BodyRecord:
    kind = text(organe.get("codeType"))
    return BodyRecord(
        source_id=text(organe.get("uid")),
        chamber="gouvernement" if kind == "MINISTERE" else "an",
        kind=kind,
        name=text(organe.get("libelle")),
        short_name=text(organe.get("libelleAbrege")) or text(organe.get("libelleAbrev")),
    )


def _start(value: str, name: str, uid: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise ImportFileError(name, uid, "dateDebut", f"date invalide « {value} ».") from exc


def parse_an_bodies(export: AmoExport) -> tuple[list[BodyRecord], list[MembershipRecord]]:
    """The export's bodies and every active mandate in one of them, with its codeQualite."""
    bodies = [_body(o) for o in export.organes.values() if o.get("codeType") in AN_KINDS]
    known = {body.source_id for body in bodies}
    memberships = []
    for name, acteur in export.acteurs:
        uid = text(acteur.get("uid"))
        for mandate in active_mandates(acteur):
            if mandate.get("typeOrgane") not in AN_KINDS:
                continue
            quality = text((mandate.get("infosQualite") or {}).get("codeQualite")) or "Membre"
            start = _start(text(mandate.get("dateDebut")), name, uid)
            for ref in as_list((mandate.get("organes") or {}).get("organeRef")):
                if text(ref) not in known:
                    raise ImportFileError(
                        name, text(mandate.get("uid")), "organeRef", f"organe {text(ref)} absent."
                    )
                memberships.append(
                    MembershipRecord(text(ref), "deputy", uid, role_key(quality), start, name)
                )
    return sorted(bodies, key=lambda b: b.source_id), memberships


def _clean(value: Any) -> str:
    return " ".join(str(value or "").split())


def parse_senat_bodies(path: Path | bytes) -> tuple[list[BodyRecord], list[MembershipRecord]]:
    """The `organismes` of each senator of senateurs.json; the API gives no role: « membre »."""
    file = str(path) if isinstance(path, Path) else "<données>"
    senators = load_json(path, name=file)
    if not isinstance(senators, list):
        raise ImportFileError(file, "racine", None, "une liste JSON de sénateurs est attendue.")
    bodies: dict[str, BodyRecord] = {}
    memberships = []
    for index, senator in enumerate(senators, start=1):
        where = f"[{index}]"
        matricule = str(field(senator, "matricule", file=file, record=where)).upper()
        for organism in senator.get("organismes") or []:
            code = _clean(field(organism, "code", file=file, record=where))
            bodies.setdefault(
                code,
                BodyRecord(
                    code, "senat", _clean(organism.get("type")), _clean(organism["libelle"])
                ),
            )
            memberships.append(MembershipRecord(code, "senator", matricule, "membre", None, where))
    return sorted(bodies.values(), key=lambda b: b.source_id), memberships


def _portfolio_key(value: str) -> str:
    """Portfolio and ministry names compared alike: « Ministre déléguée chargée… » ≈ « Ministère
    délégué …, chargé… »."""
    words = fold(value.replace("’", "'")).split()
    same = {"ministre": "ministere", "deleguee": "delegue", "chargee": "charge"}
    words = [same.get(word, word) for word in words]
    if words[:3] == ["garde", "des", "sceaux"]:
        words = words[3:]
    return " ".join(words)


def _ministry_for(portfolio: str, ministries: dict[str, str]) -> str | None:
    key = _portfolio_key(portfolio)
    if key in ministries:
        return ministries[key]
    # A minister délégué's portfolio names only the remit: « chargée de la citoyenneté ».
    _, charged, remit = key.partition("charge ")
    if not charged:
        return None
    found = [uid for name, uid in ministries.items() if f"charge {remit}" in name]
    return found[0] if len(found) == 1 else None


def minister_memberships(
    ministers: Iterable[tuple[str, str]], bodies: Iterable[BodyRecord]
) -> tuple[list[MembershipRecord], list[str]]:
    """Each sitting minister (PA id, portfolio) in the MINISTERE body their portfolio names;
    and the portfolios that name none."""
    ministries = {_portfolio_key(b.name): b.source_id for b in bodies if b.kind == "MINISTERE"}
    memberships, unmatched = [], []
    for source_id, portfolio in ministers:
        uid = _ministry_for(portfolio, ministries)
        if uid is None:
            unmatched.append(f"{source_id} : « {portfolio} » sans ministère correspondant")
            continue
        role = "ministre-delegue" if "delegue" in _portfolio_key(portfolio) else "ministre"
        memberships.append(MembershipRecord(uid, "minister", source_id, role, None, source_id))
    return memberships, unmatched
