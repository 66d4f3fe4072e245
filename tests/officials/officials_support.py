"""Builds officials for the directory tests, with the search name the importers would set."""

from sqlalchemy.orm import Session

from app.officials.models import Official
from app.text import fold


def add_official(
    session: Session, kind: str, civility: str, first: str, last: str, **values: object
) -> Official:
    official = Official(
        kind=kind,
        source_id=values.pop("source_id", f"{kind}-{fold(first + last).replace(' ', '')}"),
        civility=civility,
        first_name=first,
        last_name=last,
        search_name=fold(f"{first} {last}"),
        **values,
    )
    session.add(official)
    session.flush()
    return official
