"""The stances JSON API and the review queue page, through the real app."""

from fastapi.testclient import TestClient

from app.users.models import Role


def _statement(official_id: int, demand: int = 3) -> dict[str, object]:
    return {
        "official_id": official_id,
        "demand": demand,
        "position": "committed",
        "evidence_kind": "statement",
        "source_url": "https://exemple.fr/tribune",
        "evidence_text": "Tribune du 2 novembre",
    }


def test_staff_propose_directors_review_viewers_read(
    client: TestClient, api_headers, make_official
) -> None:  # type: ignore[no-untyped-def]
    official = make_official(group_code="ECOS")
    staff, director, viewer = (api_headers(r) for r in (Role.staff, Role.director, Role.viewer))

    created = client.post("/api/stances", json=_statement(official.id), headers=staff)
    assert created.status_code == 201, created.text
    stance = created.json()
    assert stance["status"] == "pending" and stance["demand"] == 3 and stance["group"] == "ECOS"

    assert (
        client.post("/api/stances", json=_statement(official.id), headers=viewer).status_code == 403
    )
    refused = client.post(
        f"/api/stances/{stance['id']}/review", json={"approved": True}, headers=staff
    )
    assert refused.status_code == 403

    listed = client.get(
        "/api/stances",
        params={"status": "pending", "demand": 3, "chamber": "deputy", "group": "ECOS"},
        headers=viewer,
    ).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == stance["id"]
    other_group = client.get("/api/stances", params={"group": "RN"}, headers=viewer).json()
    assert other_group["total"] == 0

    reviewed = client.post(
        f"/api/stances/{stance['id']}/review",
        json={"approved": True, "comment": "Tribune vérifiée"},
        headers=director,
    )
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["status"] == "approved"
    assert reviewed.json()["review"]["comment"] == "Tribune vérifiée"
    again = client.post(
        f"/api/stances/{stance['id']}/review",
        json={"approved": False, "comment": "x"},
        headers=director,
    )
    assert again.status_code == 409 and "Déjà examinée" in again.json()["detail"]

    history = client.get(f"/api/officials/{official.id}/stances", headers=viewer).json()
    third = next(d for d in history["demands"] if d["demand"] == 3)
    assert third["current"]["id"] == stance["id"]
    assert [h["id"] for h in third["history"]] == [stance["id"]]


def test_bad_proposals_get_french_422(client: TestClient, api_headers, make_official) -> None:  # type: ignore[no-untyped-def]
    staff = api_headers(Role.staff)
    official = make_official()
    no_url = _statement(official.id) | {"source_url": ""}
    response = client.post("/api/stances", json=no_url, headers=staff)
    assert response.status_code == 422 and "URL" in response.json()["detail"]
    unknown = client.post("/api/stances", json=_statement(official.id, demand=9), headers=staff)
    assert unknown.status_code == 422 and "Demande n° 9 inconnue" in unknown.json()["detail"]
    rejected = client.post(
        "/api/stances/999999/review", json={"approved": True}, headers=api_headers(Role.director)
    )
    assert rejected.status_code == 404


def test_queue_batch_approve_and_the_official_timeline(
    client: TestClient, sign_in_as, api_headers, make_official
) -> None:  # type: ignore[no-untyped-def]
    staff = api_headers(Role.staff)
    officials = [make_official(last_name=f"Élu{i}") for i in range(3)]
    ids = [
        client.post("/api/stances", json=_statement(o.id), headers=staff).json()["id"]
        for o in officials
    ]
    csrf = sign_in_as(Role.director)
    page = client.get("/direction/positions", params={"status": "pending"})
    assert page.status_code == 200
    for stance_id in ids:
        assert f'name="stance_ids" value="{stance_id}"' in page.text
    decided = client.post(
        "/direction/positions/decision",
        data={"csrf_token": csrf, "decision": "approve", "stance_ids": ids[:2]},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    remaining = client.get("/api/stances", params={"status": "pending"}, headers=staff).json()
    assert [i["id"] for i in remaining["items"]] == [ids[2]]
    no_reason = client.post(
        "/direction/positions/decision",
        data={"csrf_token": csrf, "decision": "reject", "stance_ids": ids[2:]},
    )
    assert no_reason.status_code == 422 and "raison du refus" in no_reason.text

    detail = client.get(f"/annuaire/{officials[0].id}")
    assert 'id="stance-timelines"' in detail.text and "Engagé·e (par écrit)" in detail.text
    assert "Validée" in detail.text


def test_staff_propose_a_meeting_from_the_official_page(
    client: TestClient, sign_in_as, make_official
) -> None:  # type: ignore[no-untyped-def]
    official = make_official()
    csrf = sign_in_as(Role.staff)
    assert client.get(f"/annuaire/{official.id}/positions/nouvelle").status_code == 200
    form = {
        "csrf_token": csrf,
        "demand": "2",
        "position": "supportive",
        "evidence_kind": "meeting",
        "evidence_date": "2026-11-02",
        "attendees": "La députée, notre présidente",
    }
    response = client.post(f"/annuaire/{official.id}/positions", data=form, follow_redirects=False)
    assert response.status_code == 303
    missing = client.post(f"/annuaire/{official.id}/positions", data=form | {"attendees": ""})
    assert missing.status_code == 422 and "qui a participé" in missing.text
    page = client.get(f"/annuaire/{official.id}")
    assert "La députée, notre présidente" in page.text
