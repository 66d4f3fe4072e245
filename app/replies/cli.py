"""`plaidoyer replies import FILE.eml|MAILDIR`."""

import mailbox
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy.orm import Session

from app.cli_kit import console, errors, fail
from app.db import unit_of_work
from app.errors import AppError
from app.labels import plural
from app.replies.models import Reply, ReplyKind
from app.replies.service import record_inbound_reply
from app.security import Actor

replies_app = typer.Typer(help="Réponses des élus.", no_args_is_help=True)
CLI_ACTOR = Actor.system("ligne de commande")

OUTCOME_LABELS = {
    "letter": "rattachées à un courrier",
    "official": "rattachées à un élu",
    "unmatched": "non rattachées (à trier)",
    "duplicate": "déjà importées",
    ReplyKind.auto_reply: "réponses automatiques (absences, accusés de réception)",
    ReplyKind.bounce: "rejets de remise (courrier en échec)",
    ReplyKind.delivery_notice: "avis de remise (retard, sans effet)",
}


class MessageFileError(Exception):
    """A message that cannot be imported, named so the operator can find it."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name} : {reason}")


def _is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def message_sources(path: Path) -> list[tuple[str, Callable[[], bytes]]]:
    """(name, reader) for one .eml file or every message of a Maildir (new/ and cur/)."""
    if _is_maildir(path):
        box = mailbox.Maildir(path, factory=None, create=False)
        return [(f"{path}/{key}", partial(box.get_bytes, key)) for key in sorted(box.keys())]
    if path.is_file():
        return [(str(path), path.read_bytes)]
    if path.is_dir():
        raise MessageFileError(str(path), "ce dossier n'est pas un Maildir (ni cur/ ni new/).")
    raise MessageFileError(str(path), "fichier introuvable.")


def _outcome(reply: Reply, created: bool) -> str:
    if not created:
        return "duplicate"
    if reply.kind != ReplyKind.reply:
        return reply.kind
    if reply.letter_id is not None:
        return "letter"
    return "official" if reply.official_id is not None else "unmatched"


def import_messages(
    session: Session,
    sources: list[tuple[str, Callable[[], bytes]]],
    *,
    actor: Actor,
    advance: Callable[[], None] = lambda: None,
) -> Counter[str]:
    """Imports each message; the first bad one stops everything, named with its reason."""
    outcomes: Counter[str] = Counter()
    for name, read in sources:
        try:
            reply, created = record_inbound_reply(session, raw=read(), actor=actor)
        except AppError as exc:
            raise MessageFileError(name, exc.message) from exc
        except OSError as exc:
            raise MessageFileError(name, f"lecture impossible ({exc.strerror or exc}).") from exc
        outcomes[_outcome(reply, created)] += 1
        advance()
    return outcomes


def _progress() -> Progress:
    return Progress(
        TextColumn("Import des réponses"), BarColumn(), MofNCompleteColumn(), console=console
    )


def _summary(outcomes: Counter[str]) -> Iterator[str]:
    yield f"{plural(sum(outcomes.values()), 'message lu', 'messages lus')} :"
    for key, label in OUTCOME_LABELS.items():
        yield f"  {outcomes[key]:>5} {label}"


@replies_app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="Un fichier .eml ou un dossier Maildir.")],
) -> None:
    """Importe des réponses reçues par e-mail et les rattache à leur courrier ou à leur élu."""
    try:
        sources = message_sources(path)
        with _progress() as progress, unit_of_work() as session:
            task = progress.add_task("import", total=len(sources))
            outcomes = import_messages(
                session, sources, actor=CLI_ACTOR, advance=lambda: progress.advance(task)
            )
    except MessageFileError as exc:
        exit_error = fail(str(exc))
        errors.print("Rien n'a été importé.")
        raise exit_error from exc
    for line in _summary(outcomes):
        console.print(line, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(replies_app, name="replies")
