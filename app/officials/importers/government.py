"""The government's members (JSON list keyed on the AN PA id), e.g. the Lecornu II government."""

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from app.importing.errors import ImportFileError
from app.importing.jsonfile import field, load_json
from app.officials.importers.records import OfficialRecord
from app.text import fold

FEMININE_TITLES = ("ministre déléguée", "secrétaire d'état chargée", "première ministre")


def guess_civility(first_name: str, qualite: str, first_names: Mapping[str, str]) -> str:
    """From a feminine title, the known civility of namesakes, else the name's ending (a, e)."""
    if any(qualite.lower().startswith(t) for t in FEMININE_TITLES):
        return "Mme"
    folded = fold(first_name)
    for candidate in (folded, folded.split(" ")[0]):
        if candidate in first_names:
            return first_names[candidate]
    # Last resort, right for the current government; the data file can be corrected by hand.
    return "Mme" if folded.endswith(("a", "e")) else "M."


def parse_government(
    path: Path | bytes,
    *,
    name: str | None = None,
    people: Mapping[str, tuple[str, str, str]] | None = None,
    first_names: Mapping[str, str] | None = None,
) -> list[OfficialRecord]:
    """Ministers; `people` (PA id → civility, first, last) gives the AN's own name split."""
    file = name or str(path)
    document = load_json(path, name=file)
    members = field(document, "membres", file=file, record="racine")
    if not isinstance(members, list):
        raise ImportFileError(file, "racine", "membres", "une liste de membres est attendue.")
    records = []
    for index, member in enumerate(members, start=1):
        where = f"membres[{index}]"
        source_id = str(field(member, "id", file=file, record=where)).strip()
        full_name = " ".join(str(field(member, "nom", file=file, record=where)).split())
        qualite = str(member.get("qualite") or "")
        if not source_id.startswith("PA") or not full_name:
            raise ImportFileError(file, where, "id", "identifiant PA… ou nom manquant.")
        known = (people or {}).get(source_id)
        if known:
            civ, first, last = known
        else:
            first, _, last = full_name.partition(" ")
            civ = guess_civility(first, qualite, first_names or {})
        since = str(member.get("depuis") or "")
        try:
            start = date.fromisoformat(since[:10]) if since else None
        except ValueError as exc:
            raise ImportFileError(file, where, "depuis", f"date invalide « {since} ».") from exc
        records.append(
            OfficialRecord(
                source_id=source_id,
                civility=civ,
                first_name=first,
                last_name=last,
                portfolio=str(member.get("fonction") or qualite),
                mandate_start=start,
                origin=where,
            )
        )
    return records
