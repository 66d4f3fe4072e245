"""The replies API and pages through the real app: auth, status codes, forms, CSRF."""

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demands.service import list_demands
from app.letters.models import Letter, LetterStatus
from app.replies.models import Reply
from app.replies.parsing import MAX_MESSAGE_BYTES
from app.replies.service import record_manual_reply, replies_for_official
from app.security import Actor
from app.stances.models import Stance
from app.users.models import Role

Eml = Callable[..., bytes]
RFC822 = {"Content-Type": "message/rfc822"}


def test_inbound_requires_a_staff_token(client: TestClient, api_headers, eml: Eml) -> None:  # type: ignore[no-untyped-def]
    raw = eml()
    assert client.post("/api/replies/inbound", content=raw, headers=RFC822).status_code == 401
    viewer = api_headers(Role.viewer) | RFC822
    response = client.post("/api/replies/inbound", content=raw, headers=viewer)
    assert response.status_code == 403
    assert "rôle" in response.json()["detail"]


def test_inbound_matches_then_answers_200_for_a_known_message(
    client: TestClient, api_headers, make_official, make_letter, eml: Eml
) -> None:  # type: ignore[no-untyped-def]
    letter = make_letter(make_official())
    headers = api_headers(Role.staff) | RFC822
    raw = eml(in_reply_to=letter.message_id)
    first = client.post("/api/replies/inbound", content=raw, headers=headers)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["created"] is True
    assert body["reply"]["letter_id"] == letter.id
    assert body["reply"]["matched_by"] == "in_reply_to"
    again = client.post(
        "/api/replies/inbound",
        content=raw,
        headers=api_headers(Role.admin) | {"Content-Type": "text/plain"},
    )
    assert again.status_code == 200 and again.json()["reply"]["id"] == body["reply"]["id"]


def test_inbound_refuses_garbage_and_oversize(client: TestClient, api_headers) -> None:  # type: ignore[no-untyped-def]
    headers = api_headers(Role.staff) | RFC822
    for garbage in (b"", b"n'importe quoi", b"\x00\x01\x02"):
        response = client.post("/api/replies/inbound", content=garbage, headers=headers)
        assert response.status_code == 422
        assert response.json()["detail"].startswith(("Ce contenu", "Le message"))
    big = client.post(
        "/api/replies/inbound", content=b"x" * (MAX_MESSAGE_BYTES + 1), headers=headers
    )
    assert big.status_code == 413 and "taille" in big.json()["detail"]


def test_to_chase_api_honours_days(
    client: TestClient, api_headers, make_official, make_letter
) -> None:  # type: ignore[no-untyped-def]
    letter = make_letter(make_official(), sent_days_ago=10)
    headers = api_headers(Role.viewer)
    assert client.get("/api/letters/to-chase", headers=headers).json()["total"] == 0
    body = client.get("/api/letters/to-chase?jours=7", headers=headers).json()
    assert body["days"] == 7 and [i["letter_id"] for i in body["items"]] == [letter.id]
    assert body["items"][0]["days_without_reply"] == 10


def test_tray_attach_and_coding_through_pages(
    client: TestClient,
    session: Session,
    sign_in_as,
    make_official,
    make_letter,
    eml: Eml,
    api_headers,
) -> None:  # type: ignore[no-untyped-def]
    official = make_official()
    letter = make_letter(official)
    response = client.post(
        "/api/replies/inbound",
        content=eml(sender="collaborateur@gmail.com", subject="Réponse de la députée"),
        headers=api_headers(Role.staff) | RFC822,
    )
    reply_id = response.json()["reply"]["id"]
    csrf = sign_in_as(Role.staff)
    tray = client.get("/reponses?etat=non-rattachees")
    assert tray.status_code == 200 and "Réponse de la députée" in tray.text
    assert f'href="/reponses/{reply_id}#rattacher"' in tray.text

    refused = client.post(f"/reponses/{reply_id}/rattacher", data={"letter_id": str(letter.id)})
    assert refused.status_code == 403
    attached = client.post(
        f"/reponses/{reply_id}/rattacher",
        data={"letter_id": str(letter.id), "official_id": "", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert attached.status_code == 303
    assert session.get(Letter, letter.id).status == LetterStatus.replied  # type: ignore[union-attr]

    page = client.get(f"/reponses/{reply_id}")
    assert page.status_code == 200 and "Coder la réponse" in page.text
    first, second, *_ = list_demands(session)
    coded = client.post(
        f"/reponses/{reply_id}/coder",
        data={
            f"demand_{first.id}": "committed",
            f"demand_{second.id}": "",
            "note": "« je m'y engage »",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert coded.status_code == 303
    stances = session.scalars(select(Stance).where(Stance.reply_id == reply_id)).all()
    assert [(s.demand_id, s.position) for s in stances] == [(first.id, "committed")]
    assert "Engagé·e" in client.get(f"/reponses/{reply_id}").text


def test_manual_entry_form(client: TestClient, session: Session, sign_in_as, make_official) -> None:  # type: ignore[no-untyped-def]
    official = make_official()
    csrf = sign_in_as(Role.staff)
    assert client.get("/reponses/nouvelle").status_code == 200
    bad = client.post(
        "/reponses/nouvelle",
        data={
            "official_id": str(official.id),
            "received_on": "2026-11-20",
            "text": " ",
            "csrf_token": csrf,
        },
    )
    assert bad.status_code == 422 and "Saisissez le texte" in bad.text
    done = client.post(
        "/reponses/nouvelle",
        data={
            "official_id": str(official.id),
            "received_on": "2026-11-20",
            "channel": "phone",
            "text": "Appel de la permanence : favorable à la demande 4.",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    reply = session.scalars(select(Reply).where(Reply.official_id == official.id)).one()
    assert (reply.channel, reply.received_at.day) == ("phone", 20)


def test_chase_page_generates_the_follow_up(
    client: TestClient, session: Session, sign_in_as, make_official, make_letter
) -> None:  # type: ignore[no-untyped-def]
    letter = make_letter(make_official(), sent_days_ago=30)
    sign_in_as(Role.viewer)
    page = client.get("/a-relancer")
    assert page.status_code == 200 and f"n° {letter.id}" in page.text
    assert "Générer la relance" not in page.text
    csrf = sign_in_as(Role.staff)
    assert "Générer la relance" in client.get("/a-relancer").text
    response = client.post(
        f"/a-relancer/{letter.id}", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    assert session.scalars(select(Letter).where(Letter.follow_up_of_id == letter.id)).one()
    assert f'action="/a-relancer/{letter.id}"' not in client.get("/a-relancer").text
    again = client.post(f"/a-relancer/{letter.id}", data={"csrf_token": csrf})
    assert again.status_code == 409


def test_official_timeline_partial_lists_replies(
    client: TestClient, session: Session, sign_in_as, make_official
) -> None:  # type: ignore[no-untyped-def]
    official = make_official()
    reply = record_manual_reply(
        session,
        official_id=official.id,
        letter_id=None,
        text="Favorable.",
        received_at=datetime(2026, 11, 20, 12, tzinfo=UTC),
        channel="post",
        subject="Réponse de l'élue",
        actor=Actor.system("tests"),
    )
    assert [r.id for r in replies_for_official(session, official_id=official.id)] == [reply.id]
    sign_in_as(Role.viewer)
    html = client.get(f"/annuaire/{official.id}").text  # the official's page includes the partial
    assert f'href="/reponses/{reply.id}"' in html and "Réponse de l&#39;élue" in html
    assert f"/reponses/nouvelle?elu={official.id}" in html
