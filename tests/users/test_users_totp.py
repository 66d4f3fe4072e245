"""The optional second factor: enrolment, the sign-in step, recovery codes, replays, and the
setting that requires it of admins and directors. Codes are computed with pyotp, as an app would."""

import re
import time
from html import unescape

import pyotp
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.security import seal, unseal
from app.users.models import RecoveryCode, Role, User
from tests.conftest import page_csrf, sign_in
from tests.factories import PASSWORD


def enrol(client: TestClient, csrf: str) -> tuple[str, list[str]]:
    """Turns the second factor on through the pages; returns the secret and recovery codes."""
    response = client.post("/compte/securite/totp/nouveau", data={"csrf_token": csrf})
    assert response.status_code == 200, response.text
    page = response.text
    secret = re.search(r"<code>([A-Z2-7]{32})</code>", page)
    assert secret is not None
    assert "otpauth://totp/Plaidoyer:" in page and 'src="data:image/svg+xml' in page
    code = pyotp.TOTP(secret.group(1)).now()
    done = client.post("/compte/securite/totp", data={"code": code, "csrf_token": csrf})
    assert done.status_code == 200, done.text
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", done.text)
    return secret.group(1), codes


def password_step(client: TestClient, user: User):  # type: ignore[no-untyped-def]
    client.cookies.clear()
    token = page_csrf(client)
    return client.post(
        "/connexion",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )


def code_step(client: TestClient, code: str):  # type: ignore[no-untyped-def]
    token = page_csrf(client, "/connexion/code")
    return client.post(
        "/connexion/code", data={"code": code, "csrf_token": token}, follow_redirects=False
    )


def can_read_journal(client: TestClient) -> bool:
    return client.get("/admin/journal", follow_redirects=False).status_code == 200


def app_key(client: TestClient) -> str:
    settings: Settings = client.app.state.settings  # type: ignore[attr-defined]
    return settings.session_secret()


def next_step_code(secret: str) -> str:
    """A code of the next 30-second step (accepted: clocks drift), unused at enrolment."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_enrolment_then_sign_in_asks_for_the_code(
    client: TestClient, users: dict[Role, User], session: Session
) -> None:
    admin = users[Role.admin]
    secret, codes = enrol(client, sign_in(client, admin))
    assert admin.totp_secret is not None and secret not in admin.totp_secret  # sealed
    assert unseal(app_key(client), admin.totp_secret) == secret
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = session.execute(text("SELECT code_hash FROM recovery_code")).scalars().all()
    assert len(stored) == 10 and not {c for c in codes if any(c in h for h in stored)}

    response = password_step(client, admin)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/connexion/code")
    assert not can_read_journal(client)  # the password alone signs nobody in
    wrong = code_step(client, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert wrong.status_code == 400 and "Code incorrect." in wrong.text
    assert code_step(client, next_step_code(secret)).status_code == 303
    assert can_read_journal(client)


def test_a_code_is_good_once(client: TestClient, users: dict[Role, User]) -> None:
    admin = users[Role.admin]
    secret, _ = enrol(client, sign_in(client, admin))
    code = next_step_code(secret)
    password_step(client, admin)
    assert code_step(client, code).status_code == 303
    password_step(client, admin)
    assert code_step(client, code).status_code == 400  # replayed
    assert not can_read_journal(client)


def test_a_recovery_code_replaces_the_app_once(
    client: TestClient, users: dict[Role, User], session: Session
) -> None:
    admin = users[Role.admin]
    _, codes = enrol(client, sign_in(client, admin))
    password_step(client, admin)
    assert code_step(client, codes[3].upper()).status_code == 303
    assert can_read_journal(client)
    used = session.scalars(select(RecoveryCode).where(RecoveryCode.used_at.is_not(None))).all()
    assert len(used) == 1
    password_step(client, admin)
    assert code_step(client, codes[3]).status_code == 400


def test_the_code_page_needs_the_password_first(client: TestClient) -> None:
    response = client.get("/connexion/code", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/connexion"
    token = page_csrf(client)
    posted = client.post(
        "/connexion/code", data={"code": "123456", "csrf_token": token}, follow_redirects=False
    )
    assert posted.status_code == 303 and posted.headers["location"] == "/connexion"


def test_enrolment_refuses_a_wrong_code(client: TestClient, users: dict[Role, User]) -> None:
    csrf = sign_in(client, users[Role.viewer])
    client.post("/compte/securite/totp/nouveau", data={"csrf_token": csrf})
    response = client.post("/compte/securite/totp", data={"code": "12", "csrf_token": csrf})
    assert response.status_code == 422
    assert "Code incorrect" in response.text and 'aria-invalid="true"' in response.text
    assert users[Role.viewer].totp_secret is None


def test_required_for_admins_and_directors_when_the_setting_says_so(
    app: FastAPI, client: TestClient, users: dict[Role, User]
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"totp_required_for_leaders": True})
    csrf = sign_in(client, users[Role.staff])
    assert client.get("/campagnes", follow_redirects=False).status_code == 200

    csrf = sign_in(client, users[Role.director])
    response = client.get("/campagnes", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/compte/securite")
    assert "Votre rôle exige" in client.get("/compte/securite").text
    enrol(client, csrf)
    assert client.get("/campagnes", follow_redirects=False).status_code == 200
    refused = client.post(
        "/compte/securite/totp/desactiver", data={"password": PASSWORD, "csrf_token": csrf}
    )
    assert refused.status_code == 409
    assert users[Role.director].totp_secret is not None


def test_an_optional_second_factor_can_be_turned_off(
    client: TestClient, users: dict[Role, User], session: Session
) -> None:
    staff = users[Role.staff]
    csrf = sign_in(client, staff)
    enrol(client, csrf)
    wrong = client.post(
        "/compte/securite/totp/desactiver", data={"password": "faux", "csrf_token": csrf}
    )
    assert wrong.status_code == 422 and staff.totp_secret is not None
    response = client.post(
        "/compte/securite/totp/desactiver",
        data={"password": PASSWORD, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert staff.totp_secret is None
    assert session.scalars(select(RecoveryCode)).all() == []
    assert (
        password_step(client, staff).headers["location"] == "/ma-journee"
    )  # staff land on their day


def test_an_admin_resets_a_lost_second_factor_after_confirming(
    app: FastAPI, client: TestClient, users: dict[Role, User], session: Session
) -> None:
    staff, admin = users[Role.staff], users[Role.admin]
    enrol(client, sign_in(client, staff))
    assert client.get("/ma-journee", follow_redirects=False).status_code == 200
    with TestClient(app, base_url="http://127.0.0.1") as admin_browser:
        csrf = sign_in(admin_browser, admin)
        listing = admin_browser.get("/admin/utilisateurs").text
        page = f"/admin/utilisateurs/{staff.id}/double-authentification"
        assert page in listing
        confirm = admin_browser.get(page)
        assert confirm.status_code == 200 and "irréversible" in confirm.text
        assert staff.totp_secret is not None  # asking changes nothing
        done = admin_browser.post(page, data={"csrf_token": csrf}, follow_redirects=False)
        assert done.status_code == 303
        session.expire_all()
        assert staff.totp_secret is None
        assert session.scalars(select(RecoveryCode)).all() == []
        again = admin_browser.post(page, data={"csrf_token": csrf})
        assert again.status_code == 409 and "n'a pas activé" in unescape(again.text)
        own = admin_browser.get(f"/admin/utilisateurs/{admin.id}/double-authentification")
        assert own.status_code == 409 and "Sécurité du compte" in unescape(own.text)
        journal = admin_browser.get("/admin/journal").text
        assert "double authentification réinitialisée par un administrateur" in unescape(journal)
    # The staff member's open session ended; the password alone now signs in.
    assert client.get("/ma-journee", follow_redirects=False).status_code in {302, 303}
    assert password_step(client, staff).headers["location"] == "/ma-journee"


def test_only_admins_reset_a_second_factor(client: TestClient, users: dict[Role, User]) -> None:
    director = users[Role.director]
    enrol(client, sign_in(client, users[Role.staff]))
    csrf = sign_in(client, director)
    page = f"/admin/utilisateurs/{users[Role.staff].id}/double-authentification"
    assert client.get(page).status_code == 403
    assert client.post(page, data={"csrf_token": csrf}).status_code == 403
    assert users[Role.staff].totp_secret is not None


def test_a_secret_enrolled_before_sealing_still_works_and_gets_sealed(
    client: TestClient, users: dict[Role, User], session: Session
) -> None:
    director = users[Role.director]
    director.totp_secret = pyotp.random_base32()  # as stored by the previous revision
    session.flush()
    clear = director.totp_secret
    password_step(client, director)
    assert code_step(client, next_step_code(clear)).status_code == 303
    session.expire_all()
    assert director.totp_secret != clear and unseal(app_key(client), director.totp_secret) == clear


def test_a_changed_app_key_refuses_codes_but_not_recovery_codes(
    client: TestClient, users: dict[Role, User], session: Session
) -> None:
    staff = users[Role.staff]
    secret, codes = enrol(client, sign_in(client, staff))
    assert staff.totp_secret is not None
    staff.totp_secret = seal("une-autre-clé-que-celle-de-l-application", secret)
    session.flush()
    password_step(client, staff)
    assert code_step(client, next_step_code(secret)).status_code == 400
    assert code_step(client, codes[0]).status_code == 303
