"""Helpers of the supporter tests: constants, settings, reading mails, driving the journey."""

import asyncio
import html
import re
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, select

from app.campaigns.models import Campaign
from app.config import Settings
from app.db import build_engine, unit_of_work
from app.geography.service import load_project_geography
from app.letters.sending import LetterOutcomes
from app.mailing.models import OutboxMessage
from app.mailing.worker import run_worker
from app.officials.sync import load_project_data

ROOT = Path(__file__).resolve().parents[2]
SLUG = "ecrire-a-mes-elus"
FIXED_SLUG = "delegation-enfants"
MAIL_FROM = "Association Protégeons l'Enfance <contact@asso.example>"
SECRET = "clé-de-test-des-sympathisants-assez-longue"
SUPPORTER = {"name": "Hortense Quillevéré", "email": "hortense.quillevere@exemple.fr"}


def build_database(url: str) -> str:
    """Migrate, load the project's geography and officials, add the public campaigns."""
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["url"] = url
    command.upgrade(config, "head")
    engine = build_engine(url)
    with unit_of_work(engine) as session:
        load_project_geography(session, ROOT / "data")
        load_project_data(session, ROOT / "data", None)
        session.add(
            Campaign(
                name="Avant l'audition",
                slug=FIXED_SLUG,
                is_public=True,
                targeting="fixed",
                target_filter={"kind": "minister", "q": "justice"},
            )
        )
        session.flush()
        session.add(Campaign(name="Écrivez à vos élus", slug=SLUG, is_public=True))
    engine.dispose()
    return url


def make_settings(url: str, data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": url,
        "data_dir": data_dir,
        "mail_backend": "file",
        "mail_from": MAIL_FROM,
        "secret_key": SECRET,
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


def campaign_id(engine: Engine, slug: str = SLUG) -> int:
    with unit_of_work(engine) as session:
        return int(session.scalars(select(Campaign.id).where(Campaign.slug == slug)).one())


def csrf(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def mails(folder: Path) -> list[EmailMessage]:
    """Messages the file backend wrote, oldest first."""
    files = sorted(folder.glob("*.eml"), key=lambda f: f.stat().st_mtime_ns)
    return [BytesParser(policy=default).parsebytes(f.read_bytes()) for f in files]  # type: ignore[misc]


def link_in(message: EmailMessage, marker: str) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    return next(word for word in text.split() if marker in word and word.startswith("http"))


def run_outbox(engine: Engine, settings: Settings) -> int:
    stats = asyncio.run(
        run_worker(
            engine=engine,
            settings=settings,
            worker_id="tests",
            outcomes=LetterOutcomes(),
            once=True,
        )
    )
    return stats.sent


def officials_offered(page: str) -> tuple[list[str], list[str]]:
    """(deputies offered as radios, senators offered as checkboxes) on the campaign page."""
    radios = re.findall(r'type="radio" name="official" value="(\d+)"', page)
    boxes = re.findall(r'type="checkbox" name="official" value="(\d+)"\s+checked', page)
    return radios, boxes


def letter_form(page: str) -> dict[str, str | list[str]]:
    """The fields of the letter form as the browser would send them untouched."""
    form = page[page.index('id="letter-form"') :]
    form = form[: form.index("</form>")]
    data: dict[str, str | list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        if name in ("official", "constituent"):
            data.setdefault(name, [])
            assert isinstance(data[name], list)
            data[name].append(value)  # type: ignore[union-attr]
        else:
            data[name] = html.unescape(value)
    for name, value in re.findall(r'name="(subject_\d+)"[^>]*value="([^"]*)"', form):
        data[name] = html.unescape(value)
    for name, value in re.findall(r'<textarea name="(body_\d+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = html.unescape(value)
    return data


def write_letter(
    client: TestClient, slug: str, *, q: str = "75011", email: str = SUPPORTER["email"]
) -> dict[str, str | list[str]]:
    """Postcode → first deputy and every senator → the proposed letter, personalised, filled in."""
    page = client.get(f"/agir/{slug}", params={"q": q})
    assert page.status_code == 200, page.text
    deputies, senators = officials_offered(page.text)
    chosen = deputies[:1] + senators
    letter = client.get(f"/agir/{slug}/lettre", params={"official": chosen, "version": "court"})
    assert letter.status_code == 200, letter.text
    data = letter_form(letter.text)
    data |= {
        "personal": "Je suis mère de deux enfants et cela me concerne directement.",
        "name": SUPPORTER["name"],
        "email": email,
        "postcode": q,
        "consent_send": "1",
    }
    return data


def submit(client: TestClient, slug: str, data: dict[str, str | list[str]]) -> Response:
    """Post the letter form with the session's CSRF token."""
    token = csrf(client.get(f"/agir/{slug}").text)
    return client.post(
        f"/agir/{slug}/envoyer", data=data | {"csrf_token": token}, follow_redirects=False
    )


def last_mail_to(engine: Engine, email: str) -> OutboxMessage:
    with unit_of_work(engine) as session:
        return session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address.contains(email))
            .order_by(OutboxMessage.id.desc())
        ).first()  # type: ignore[return-value]


def link_from(body: str, marker: str) -> str:
    """The path of the first link in an e-mail body containing `marker`."""
    url = next(word for word in body.split() if marker in word and word.startswith("http"))
    return "/" + url.split("/", 3)[3]


def confirm(client: TestClient, engine: Engine, email: str) -> Response:
    """Click the confirmation link last sent to `email`, then the button."""
    path = link_from(last_mail_to(engine, email).body, "/agir/confirmer/")
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf(page.text)})


def sign_in(client: TestClient, email: str, password: str) -> None:
    token = csrf(client.get("/connexion").text)
    response = client.post(
        "/connexion",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
