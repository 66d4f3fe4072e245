"""Contact overrides: staff's value wins over every later import, is audited, and comes back
off cleanly; the project's export keeps the sources' values."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.errors import Invalid
from app.importing.errors import ImportFileError
from app.officials.importers.overrides import parse_overrides
from app.officials.importers.records import OfficialRecord
from app.officials.models import ContactOverride, Official
from app.officials.overrides import (
    OverrideInput,
    clean_value,
    import_overrides,
    overrides_of,
    remove_override,
    set_override,
)
from app.officials.sync import active_records, apply_officials
from app.security import Actor
from tests.factories import add_official

ACTOR = Actor(user_id=None, label="claire@asso.example")
OFFICE = "Permanence parlementaire\n12 rue de la République\n69002 Lyon"


@pytest.fixture
def deputy(session: Session) -> Official:
    return add_official(
        session,
        source_id="PA720000",
        email="e.dupre@assemblee-nationale.fr",
        phone="01 40 63 00 00",
        postal_address="126 rue de l'Université\n75355 Paris 07 SP",
    )


def _record(**fields: object) -> OfficialRecord:
    values: dict[str, object] = {
        "source_id": "PA720000",
        "civility": "Mme",
        "first_name": "Éloïse",
        "last_name": "Dupré-Lefèvre",
        "email": "e.dupre@assemblee-nationale.fr",
        "phone": "01 40 63 00 00",
        "postal_address": "126 rue de l'Université\n75355 Paris 07 SP",
    }
    return OfficialRecord(**(values | fields))  # type: ignore[arg-type]


def _sync(session: Session, record: OfficialRecord):  # type: ignore[no-untyped-def]
    return apply_officials(
        session, kind="deputy", records=[record], actor=None, source_label="AN", end_missing=False
    )


def test_an_override_survives_imports_and_comes_off(session: Session, deputy: Official) -> None:
    change = OverrideInput("postal_address", OFFICE, "site de la permanence", date(2026, 11, 2))
    override = set_override(session, official=deputy, change=change, actor=ACTOR)
    assert deputy.postal_address == OFFICE and deputy.mailing_address == OFFICE
    assert override.imported_value.startswith("126 rue") and override.set_by_label == ACTOR.label

    report = _sync(session, _record(postal_address="Assemblée\n75007 Paris", phone="01 99"))
    session.refresh(deputy)
    assert deputy.postal_address == OFFICE and deputy.phone == "01 99"
    assert report.kept == ["PA720000 : postal_address"]
    assert report.updated == {"PA720000": ["phone"]}
    session.refresh(override)
    assert override.imported_value == "Assemblée\n75007 Paris"
    # The project's files hold the sources' values, never staff's corrections.
    (exported,) = active_records(session, kind="deputy")
    assert exported.postal_address == "Assemblée\n75007 Paris"

    assert remove_override(session, official_id=deputy.id, field="postal_address", actor=ACTOR)
    assert deputy.postal_address == "Assemblée\n75007 Paris"
    assert overrides_of(session, official_id=deputy.id) == {}
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "official")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["contact.override", "import", "contact.override.remove"]


def test_an_e_mail_override_is_what_letters_use_and_reply_matching_knows(
    session: Session, deputy: Official
) -> None:
    change = OverrideInput("email", " Permanence.Dupre@Exemple.fr ")
    set_override(session, official=deputy, change=change, actor=ACTOR)
    assert deputy.email == "Permanence.Dupre@exemple.fr"
    _sync(session, _record())
    session.refresh(deputy)
    assert deputy.email == "Permanence.Dupre@exemple.fr"
    # Setting it again replaces the override, keeping what the sources said.
    set_override(
        session, official=deputy, change=OverrideInput("email", "p@exemple.fr"), actor=ACTOR
    )
    (override,) = session.scalars(select(ContactOverride)).all()
    assert (override.value, override.imported_value) == (
        "p@exemple.fr",
        "e.dupre@assemblee-nationale.fr",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "pas-une-adresse", "Adresse e-mail invalide"),
        ("phone", "appelez-moi", "Téléphone invalide"),
        ("postal_address", "\n".join(["ligne"] * 7), "de 1 à 6 lignes"),
        ("fax", "01", "Champ inconnu"),
    ],
)
def test_bad_values_are_refused(field: str, value: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        clean_value(field, value)


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "corrections.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_csv_of_overrides_from_french_excel(
    session: Session, deputy: Official, tmp_path: Path
) -> None:
    senator = add_official(session, kind="senator", source_id="21077M", email="s@senat.fr")
    path = _csv(
        tmp_path,
        "identifiant;champ;valeur;source;date\r\n"
        "PA720000;Téléphone;04 78 00 00 00;appel au cabinet;02/11/2026\r\n"
        "pa720000;adresse;Permanence | 12 rue de la République | 69002 Lyon;tract;2026-10-30\r\n"
        f"{senator.id};e-mail;cabinet@senat.fr;;\r\n",
        "cp1252",
    )
    done, removed = import_overrides(
        session, rows=parse_overrides(path), file=str(path), actor=ACTOR
    )
    assert (done, removed) == (3, 0)
    assert deputy.phone == "04 78 00 00 00"
    assert deputy.postal_address == "Permanence\n12 rue de la République\n69002 Lyon"
    assert senator.email == "cabinet@senat.fr"
    phone = overrides_of(session, official_id=deputy.id)["phone"]
    assert (phone.source, phone.source_date) == ("appel au cabinet", date(2026, 11, 2))

    removal = _csv(tmp_path, "identifiant,champ,valeur\nPA720000,telephone,\n")
    assert import_overrides(session, rows=parse_overrides(removal), file="r.csv", actor=ACTOR) == (
        0,
        1,
    )
    assert deputy.phone == "01 40 63 00 00"


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("PA720000;fax;01;;", ":2:champ:"),
        ("PA720000;email;pas une adresse;;", ":2:valeur:"),
        ("PA999999;email;a@b.fr;;", ":2:identifiant:"),
        ("PA720000;email;a@b.fr;;31/02/2026", ":2:date:"),
    ],
)
def test_a_bad_row_names_file_line_and_column(
    session: Session, deputy: Official, tmp_path: Path, line: str, where: str
) -> None:
    path = _csv(tmp_path, f"identifiant;champ;valeur;source;date\n{line}\n")
    with pytest.raises(ImportFileError) as caught:
        import_overrides(session, rows=parse_overrides(path), file=str(path), actor=ACTOR)
    assert str(caught.value).startswith(str(path)) and where in str(caught.value)
