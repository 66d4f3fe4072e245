"""`plaidoyer replies import` on a real Maildir and on .eml files, against a fresh database."""

import mailbox
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.campaigns.models import Campaign
from app.config import get_settings
from app.db import get_engine, unit_of_work
from app.letters.models import Channel, Letter, LetterStatus
from app.mailing.message import new_message_id, new_reply_token
from app.officials.models import Official
from app.replies.cli import register
from app.replies.models import Reply

Eml = Callable[..., bytes]


@pytest.fixture
def cli(
    backend: str, make_migrated_url, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[typer.Typer]:  # type: ignore[no-untyped-def]
    url: str = make_migrated_url(backend)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PLAIDOYER_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    get_engine.cache_clear()
    app = typer.Typer()
    app.command("noop")(lambda: None)  # a second command keeps `replies` a sub-command
    register(app)
    yield app
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def _letter_to(email: str) -> str:
    with unit_of_work() as session:
        official = Official(
            kind="senator",
            source_id="19000X",
            civility="M.",
            first_name="Gérard",
            last_name="Lefèvre",
            search_name="gerard lefevre",
            email=email,
        )
        campaign = Campaign(name="Lecture au Sénat", slug="senat")
        session.add_all([official, campaign])
        session.flush()
        letter = Letter(
            campaign_id=campaign.id,
            official_id=official.id,
            channel=Channel.email,
            status=LetterStatus.sent,
            subject="Nos quatre demandes",
            body="Monsieur le Sénateur, …",
            message_id=new_message_id("asso.example"),
            reply_token=new_reply_token(),
        )
        session.add(letter)
        session.flush()
        return letter.message_id


def _count_replies() -> int:
    with unit_of_work() as session:
        return session.scalar(select(func.count(Reply.id))) or 0


def test_maildir_import_then_reimport(cli: typer.Typer, tmp_path: Path, eml: Eml) -> None:
    message_id = _letter_to("g.lefevre@senat.fr")
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(eml(in_reply_to=message_id, body="Réponse à votre lettre : d'accord."))
    box.add(eml(sender="G.Lefevre@senat.fr"))
    seen = mailbox.MaildirMessage(eml(sender="inconnu@exemple.fr"))
    seen.set_subdir("cur")
    box.add(seen)
    runner = CliRunner()

    result = runner.invoke(cli, ["replies", "import", str(tmp_path / "Maildir")])
    assert result.exit_code == 0, result.output
    assert "3 messages lus" in result.output
    assert "1 rattachées à un courrier" in result.output
    assert "1 rattachées à un élu" in result.output
    assert "1 non rattachées" in result.output

    again = runner.invoke(cli, ["replies", "import", str(tmp_path / "Maildir")])
    assert again.exit_code == 0 and "3 déjà importées" in again.output
    assert _count_replies() == 3


def test_a_bad_file_names_itself_and_imports_nothing(
    cli: typer.Typer, tmp_path: Path, eml: Eml
) -> None:
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(eml(sender="premier@exemple.fr"))
    bad_key = box.add(b"ceci n'est pas un e-mail")
    result = CliRunner().invoke(cli, ["replies", "import", str(tmp_path / "Maildir")])
    assert result.exit_code == 1
    assert bad_key in result.output and "n'est pas un e-mail" in result.output
    assert _count_replies() == 0


def test_single_eml_file_and_missing_path(cli: typer.Typer, tmp_path: Path, eml: Eml) -> None:
    path = tmp_path / "réponse.eml"
    path.write_bytes(eml(sender="x@y.fr"))
    assert CliRunner().invoke(cli, ["replies", "import", str(path)]).exit_code == 0
    missing = CliRunner().invoke(cli, ["replies", "import", str(tmp_path / "absent.eml")])
    assert missing.exit_code == 1 and "introuvable" in missing.output
