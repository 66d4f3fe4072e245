"""The manifesto's signatories: `plaidoyer supporters import` (consent kept, errors located,
nothing half-imported), invitations through a real SMTP server with List-Unsubscribe and
List-Unsubscribe-Post (RFC 8058), and the one-click unsubscribe honoured at once."""

import itertools
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from served import Mailbox, environment, smtp_server
from sqlalchemy import Engine, func, select, update
from supporters_support import SLUG, campaign_id, make_settings, run_outbox

from app.campaigns.models import Campaign
from app.config import Settings
from app.db import build_engine, unit_of_work, utcnow
from app.mailing.models import OutboxMessage
from app.main import create_app
from app.supporters.cli import email_links
from app.supporters.invitations import invite
from app.supporters.models import Supporter
from app.supporters.privacy import export_data
from tests.live import PLAIDOYER

HEADER = "email;nom;code_postal;consentement_nouvelles;date_consentement;texte_consentement\n"
WORDING = "J'accepte de recevoir des nouvelles"


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def engine(own_url: str) -> Iterator[Engine]:
    engine = build_engine(own_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(own_url: str, tmp_path: Path, mailbox: tuple[Mailbox, int]) -> Settings:
    return make_settings(
        own_url, tmp_path, mail_backend="smtp", smtp_port=mailbox[1], public_url="http://127.0.0.1"
    )


def run_import(own_url: str, tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "signataires.csv"
    path.write_bytes(text.encode("cp1252"))
    return subprocess.run(
        [str(PLAIDOYER), "supporters", "import", str(path)],
        env=environment(tmp_path, own_url, 25),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def supporters_named(engine: Engine, marker: str) -> list[Supporter]:
    with unit_of_work(engine) as session:
        query = select(Supporter).where(Supporter.email.contains(marker)).order_by(Supporter.id)
        return list(session.scalars(query))


def test_import_keeps_consent_and_is_idempotent(
    own_url: str, engine: Engine, tmp_path: Path
) -> None:
    marker = uuid.uuid4().hex[:8]
    text = HEADER + (
        f"anne.{marker}@exemple.fr;Anne Lefèvre;75011;oui;2026-02-10;{WORDING}\n"
        f"BRUNO.{marker}@Exemple.fr;Bruno Kerdraon;29200;Oui;10/02/2026 14:30;{WORDING}\n"
        f"chloe.{marker}@exemple.fr;Chloé Martin;69001;non;;\n"
    )
    first = run_import(own_url, tmp_path, text)
    assert first.returncode == 0, first.stderr
    assert "2 nouveaux" in first.stdout and "1 sans accord" in first.stdout
    imported = supporters_named(engine, marker)
    assert [s.email for s in imported] == [
        f"anne.{marker}@exemple.fr",
        f"bruno.{marker}@exemple.fr",
    ]
    anne = imported[0]
    assert anne.source == "petition" and anne.news_consent and anne.name == "Anne Lefèvre"
    assert anne.news_consent_version == WORDING
    assert anne.news_consent_at is not None and anne.news_consent_at.year == 2026
    again = run_import(own_url, tmp_path, text)
    assert again.returncode == 0 and "0 nouveaux, 0 mis à jour, 2 inchangés" in again.stdout


def test_a_bad_line_names_file_line_and_column_and_imports_nothing(
    own_url: str, engine: Engine, tmp_path: Path
) -> None:
    marker = uuid.uuid4().hex[:8]
    text = HEADER + (
        f"ok.{marker}@exemple.fr;Ok;75011;oui;2026-02-10;J'accepte\n"
        f"autre.{marker}@exemple.fr;Autre;7501;oui;2026-02-10;J'accepte\n"
    )
    result = run_import(own_url, tmp_path, text)
    assert result.returncode == 1
    assert "signataires.csv:3:code_postal:" in result.stderr
    assert "Aucune modification" in result.stderr
    assert supporters_named(engine, marker) == []
    no_wording = run_import(
        own_url, tmp_path, HEADER + f"x.{marker}@exemple.fr;X;75011;oui;2026-02-10;\n"
    )
    assert "signataires.csv:2:texte_consentement:" in no_wording.stderr
    bad_consent = run_import(own_url, tmp_path, HEADER + f"x.{marker}@exemple.fr;X;;peut-être;;\n")
    assert ":2:consentement_nouvelles:" in bad_consent.stderr


def test_invitations_carry_one_click_unsubscribe(
    own_url: str, engine: Engine, settings: Settings, tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    marker = uuid.uuid4().hex[:8]
    text = HEADER + (
        f"paris.{marker}@exemple.fr;Paul Paris;75011;oui;2026-02-10;J'accepte\n"
        f"brest.{marker}@exemple.fr;Bea Brest;29200;oui;2026-02-10;J'accepte\n"
    )
    assert run_import(own_url, tmp_path, text).returncode == 0
    with unit_of_work(engine) as session:
        campaign = session.get(Campaign, campaign_id(engine, SLUG))
        assert campaign is not None
        report = invite(
            session,
            campaign=campaign,
            settings=settings,
            links=email_links(settings),
            now=utcnow(),
            department="75",
        )
        assert report.sent >= 1
    with unit_of_work(engine) as session:
        campaign = session.get(Campaign, campaign_id(engine, SLUG))
        assert campaign is not None
        links = email_links(settings)
        again = invite(
            session,
            campaign=campaign,
            settings=settings,
            links=links,
            now=utcnow(),
            department="75",
        )
        assert again.sent == 0  # invited once per campaign
    with unit_of_work(engine) as session:  # throttled: spread out, then made due for the test
        invitations = select(OutboxMessage).where(OutboxMessage.list_unsubscribe != "")
        due = sorted(m.next_attempt_at for m in session.scalars(invitations))
        assert all(b - a >= timedelta(seconds=0.4) for a, b in itertools.pairwise(due))
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "pending")
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
    run_outbox(engine, settings)
    [message] = [m for m in mailbox[0].messages() if f"paris.{marker}" in str(m["To"])]
    assert not [m for m in mailbox[0].messages() if f"brest.{marker}" in str(m["To"])]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(message["List-Unsubscribe"]).strip("<>")
    assert url.startswith("http://127.0.0.1/agir/desabonnement/")
    part = message.get_body(("plain",))
    assert part is not None and f"/agir/{SLUG}" in part.get_content()

    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        path = "/" + url.split("/", 3)[3]
        assert "Me désabonner" in client.get(path).text
        # What a mail client sends (RFC 8058): no cookie, no CSRF token.
        client.cookies.clear()
        done = client.post(path, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and "Vous êtes désabonné" in done.text
        assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
        assert client.post("/agir/desabonnement/faux", data={}).status_code == 404
    app.state.engine.dispose()
    [paris] = [s for s in supporters_named(engine, marker) if s.email.startswith("paris")]  # type: ignore[union-attr]
    assert paris.unsubscribed_at is not None

    # Unsubscribed: never invited again, and what still waited in the outbox is withdrawn.
    with unit_of_work(engine) as session:
        campaign = session.get(Campaign, campaign_id(engine, SLUG))
        assert campaign is not None
        report = invite(
            session, campaign=campaign, settings=settings, links=email_links(settings), now=utcnow()
        )
        assert report.sent >= 1  # Brest, now
        pending = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.to_address.contains(f"paris.{marker}"))
            .where(OutboxMessage.status == "pending")
        )
        assert pending == 0
        brest = session.scalars(
            select(Supporter).where(Supporter.email == f"brest.{marker}@exemple.fr")
        ).one()
        exported = export_data(session, supporter=brest)
        assert [i["campagne"] for i in exported["invitations"]] == [campaign.name]
