"""Coding a reply twice, a letter's page with its replies, and the official picker by name."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demands.service import list_demands
from app.replies.service import record_inbound_reply
from app.security import Actor
from app.stances.models import Stance
from app.users.models import Role
from tests.factories import add_official
from tests.replies.conftest import MakeLetter, MakeOfficial

Eml = Callable[..., bytes]
ACTOR = Actor.system("tests")


def test_coding_twice_adds_only_what_changed(
    client: TestClient,
    session: Session,
    sign_in_as,
    make_official: MakeOfficial,
    make_letter: MakeLetter,
    eml: Eml,
) -> None:  # type: ignore[no-untyped-def]
    letter = make_letter(make_official(email="e.dupre@assemblee-nationale.fr"))
    reply, _ = record_inbound_reply(
        session, raw=eml(in_reply_to=letter.message_id, body="Je m'engage."), actor=ACTOR
    )
    first, second, *_ = list_demands(session)
    csrf = sign_in_as(Role.staff)
    form = {f"demand_{first.id}": "committed", "note": "« je m'engage »", "csrf_token": csrf}
    assert client.post(f"/reponses/{reply.id}/coder", data=form).status_code == 200
    again = client.post(f"/reponses/{reply.id}/coder", data=form)
    assert "déjà proposées" in again.text
    changed = form | {f"demand_{second.id}": "supportive"}
    client.post(f"/reponses/{reply.id}/coder", data=changed)
    stances = session.scalars(select(Stance).where(Stance.reply_id == reply.id)).all()
    assert [(s.demand_id, s.position) for s in stances] == [
        (first.id, "committed"),
        (second.id, "supportive"),
    ]
    page = client.get(f"/reponses/{reply.id}").text
    assert "Déjà proposée le" in page and "Note déjà saisie : « « je m&#39;engage » »" in page
    assert '<option value="committed" selected>' in page


def test_a_letter_page_shows_its_replies_text(
    client: TestClient,
    session: Session,
    sign_in_as,
    make_official: MakeOfficial,
    make_letter: MakeLetter,
    eml: Eml,
) -> None:  # type: ignore[no-untyped-def]
    letter = make_letter(make_official(email="e.dupre@assemblee-nationale.fr"))
    long_line = "https://exemple.fr/" + "a" * 400
    record_inbound_reply(
        session,
        raw=eml(in_reply_to=letter.message_id, body=f"Je soutiens la demande n° 3.\n{long_line}"),
        actor=ACTOR,
    )
    away, _ = record_inbound_reply(
        session,
        raw=eml(in_reply_to=letter.message_id, subject="Réponse automatique : absente"),
        actor=ACTOR,
    )
    sign_in_as(Role.viewer)
    page = client.get(f"/courriers/{letter.id}").text
    assert 'id="letter-replies"' in page and "Je soutiens la demande n° 3." in page
    assert 'class="reply-body"' in page and "réponse automatique</mark>" in page
    assert "réponse automatique</mark>" in client.get(f"/annuaire/{letter.official_id}").text
    robot = client.get(f"/reponses/{away.id}").text
    assert 'id="reply-robot"' in robot and "reste à relancer" in robot
    assert "réponse automatique</mark>" in client.get("/reponses").text


def test_the_picker_finds_officials_by_name_with_and_without_javascript(
    client: TestClient, session: Session, sign_in_as, eml: Eml
) -> None:  # type: ignore[no-untyped-def]
    wanted = add_official(session, last_name="Dupré-Lefèvre")
    add_official(session, last_name="Martin")
    reply, _ = record_inbound_reply(session, raw=eml(sender="inconnu@exemple.fr"), actor=ACTOR)
    csrf = sign_in_as(Role.staff)
    # Without JavaScript: the search is a GET form that reloads the page with ?q=.
    page = client.get(f"/reponses/{reply.id}", params={"q": "dupre lefevre"}).text
    assert f'<input type="radio" name="official_id" value="{wanted.id}" checked>' in page
    assert "Martin" not in page
    # With htmx: only the choices come back; a typo is forgiven.
    partial = client.get(
        "/reponses/elus", params={"q": "dupree"}, headers={"HX-Request": "true"}
    ).text
    assert "<html" not in partial and f'value="{wanted.id}"' in partial
    assert "Aucun élu" in client.get("/reponses/elus", params={"q": "zzzz"}).text
    refused = client.post(
        f"/reponses/{reply.id}/rattacher",
        data={"official_id": str(wanted.id), "letter_id": "n° 4", "csrf_token": csrf},
    )
    assert refused.status_code == 422 and "Courrier : indiquez un numéro." in refused.text
    assert 'value="n° 4" aria-invalid="true"' in refused.text
    assert f'name="official_id" value="{wanted.id}" checked' in refused.text
    nobody = client.post(
        f"/reponses/{reply.id}/rattacher", data={"official_id": "", "csrf_token": csrf}
    )
    assert nobody.status_code == 422 and "Choisissez l&#39;élu qui a répondu." in nobody.text
    attached = client.post(
        f"/reponses/{reply.id}/rattacher",
        data={"official_id": str(wanted.id), "letter_id": "", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert attached.status_code == 303
    session.refresh(reply)
    assert reply.official_id == wanted.id
    manual = client.get("/reponses/nouvelle", params={"q": "martin", "courrier": "12"}).text
    assert 'name="courrier" value="12"' in manual and "Martin" in manual
