"""The letter state machine: its table, its two writers, and that nothing else writes a status."""

import ast
import itertools
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.campaigns.models import Campaign
from app.errors import Conflict
from app.letters.models import Channel, Letter, LetterEvent, LetterStatus
from app.letters.status import (
    MANUAL_STATUSES,
    TRANSITIONS,
    manual_choices,
    transition,
    transition_many,
)
from app.mailing.message import new_message_id, new_reply_token
from app.officials.models import Official
from app.security import Actor

APP = Path(__file__).resolve().parents[2] / "app"
ACTOR = Actor.system("tests")
S = LetterStatus

# --- Only app/letters/status.py writes a letter's status or its events ----------------------


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _on_letter_statement(node: ast.AST) -> bool:
    """True if an update(Letter) / insert(Letter) call is part of this chain of calls."""
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            if (
                _called(node) in ("update", "insert")
                and node.args
                and "Letter" in _names(node.args[0])
            ):
                return True
            node = node.func
        else:
            node = node.value
    return False


def _names_status(nodes: list[ast.expr | None]) -> bool:
    return any(isinstance(n, ast.Constant) and n.value == "status" for n in nodes)


def _has_status_key(node: ast.Dict) -> bool:
    return _names_status(node.keys)


def _sets_status(call: ast.Call) -> bool:
    return any(k.arg == "status" for k in call.keywords) or any(
        isinstance(arg, ast.Dict) and _has_status_key(arg) for arg in call.args
    )


def status_writes(source: str) -> list[str]:
    """Where this module writes a letter's status or a LetterEvent, as « line: what »."""
    tree = ast.parse(source)
    knows_letter = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "app.letters.models"
        and any(alias.name == "Letter" for alias in node.names)
        for node in ast.walk(tree)
    )
    writes_letters = any(
        isinstance(node, ast.Call) and _on_letter_statement(node) for node in ast.walk(tree)
    )
    # Audit snapshots (record(before=..., after=...)) may quote a status without writing one.
    snapshots = {
        id(k.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for k in node.keywords
        if k.arg in ("before", "after")
    }
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        stored = isinstance(getattr(node, "ctx", None), ast.Store | ast.Del)
        if isinstance(node, ast.Attribute) and node.attr == "status" and knows_letter and stored:
            found.append(f"{line}: assigns .status")
        is_row = writes_letters and id(node) not in snapshots
        if is_row and isinstance(node, ast.Dict) and _has_status_key(node):
            found.append(f"{line}: a row with a status for insert/update(Letter)")
        if not isinstance(node, ast.Call):
            continue
        called = _called(node)
        if called == "LetterEvent":
            found.append(f"{line}: constructs LetterEvent")
        elif called == "Letter" and _sets_status(node):
            found.append(f"{line}: Letter(status=...)")
        elif called in ("insert", "update") and node.args and "LetterEvent" in _names(node.args[0]):
            found.append(f"{line}: {called}(LetterEvent)")
        elif called == "values" and _on_letter_statement(node.func) and _sets_status(node):
            found.append(f"{line}: update/insert(Letter).values(status=...)")
        elif called == "setattr" and knows_letter and _names_status(node.args[1:2]):
            found.append(f"{line}: setattr(..., 'status', ...)")
    return found


def test_no_module_but_letters_status_writes_a_letter_status() -> None:
    offenders = {
        str(path.relative_to(APP.parent)): writes
        for path in sorted(APP.rglob("*.py"))
        if path != APP / "letters" / "status.py"
        and (writes := status_writes(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "go through app.letters.status.transition / transition_many"


IMPORT = "from app.letters.models import Letter, LetterEvent\n"


@pytest.mark.parametrize(
    "source",
    [
        IMPORT + "letter.status = 'sent'",
        IMPORT + "letter.status, letter.status_changed_at = 'sent', now",
        IMPORT + "setattr(letter, 'status', 'sent')",
        IMPORT + "Letter(subject='x', status='sent')",
        IMPORT + "session.add(LetterEvent(letter_id=1, to_status='sent'))",
        IMPORT + "session.execute(insert(LetterEvent), rows)",
        IMPORT + "insert(LetterEvent.__table__).from_select(columns, query)",
        IMPORT + "update(Letter).where(Letter.id == 1).values(status='sent')",
        IMPORT + "update(Letter).values({'status': 'sent'})",
        IMPORT + "session.execute(insert(Letter), [{'subject': 'x', 'status': 'draft'}])",
    ],
)
def test_the_scan_finds_each_way_of_writing_a_status(source: str) -> None:
    assert status_writes(source)


@pytest.mark.parametrize(
    "source",
    [
        IMPORT + "ok = letter.status == 'sent'",
        IMPORT + "update(OutboxMessage).values(status='sent')",
        "from app.mailing.models import OutboxMessage\nrow.status = 'failed'",
        IMPORT + "select(LetterEvent).where(LetterEvent.letter_id == 1)",
        IMPORT + "session.execute(insert(Letter), [{'subject': 'x'}])",
        IMPORT + "insert(Letter)\nrecord(session, after={'status': letter.status})",
    ],
)
def test_the_scan_lets_reads_and_other_tables_be(source: str) -> None:
    assert status_writes(source) == []


# --- The table, on SQLite and PostgreSQL -------------------------------------------------


@pytest.fixture
def make_letter(session: Session, make_official):  # type: ignore[no-untyped-def]
    campaign = Campaign(name="Campagne", slug=new_reply_token()[:12])
    session.add(campaign)
    session.flush()

    def make(status: LetterStatus | None, official: Official | None = None) -> Letter:
        letter = Letter(
            campaign_id=campaign.id,
            official_id=(official or make_official()).id,
            channel=Channel.email,
            subject="Nos demandes",
            body="Madame la Députée,",
            recipient_email="elu@assemblee-nationale.fr",
            message_id=new_message_id("asso.example"),
            reply_token=new_reply_token(),
        )
        if status is not None:
            letter.status = status
            session.add(letter)
            session.flush()
        return letter

    return make


def test_the_domain_path_is_allowed() -> None:
    path = [None, S.draft, S.queued, S.sent, S.delivered, S.replied]
    for current, to in itertools.pairwise(path):
        assert to in TRANSITIONS[current], (current, to)
    assert S.failed in TRANSITIONS[S.queued] and S.bounced in TRANSITIONS[S.sent]
    assert TRANSITIONS[S.replied] == frozenset()
    assert all(S.draft not in targets for current, targets in TRANSITIONS.items() if current)
    assert manual_choices("draft") == [S.sent]
    assert manual_choices("replied") == []
    assert set(manual_choices("queued")) == set(MANUAL_STATUSES)


def test_every_move_is_allowed_or_refused_as_the_table_says(
    session: Session, make_letter, make_official
) -> None:  # type: ignore[no-untyped-def]
    official = make_official()
    for current, to in itertools.product([None, *S], S):
        if current == to:
            continue
        letter = make_letter(current, official)
        if to in TRANSITIONS[current]:
            assert transition(session, letter=letter, to=to, actor=ACTOR, note="n") is True
            assert letter.status == to and letter.id is not None
        else:
            with pytest.raises(Conflict, match="ne peut pas"):
                transition(session, letter=letter, to=to, actor=ACTOR)
            assert letter.status == current


def test_a_transition_writes_status_event_and_audit(session: Session, make_letter) -> None:  # type: ignore[no-untyped-def]
    letter = make_letter(S.queued)
    before = letter.status_changed_at

    assert transition(session, letter=letter, to=S.bounced, actor=ACTOR, note="Boîte pleine")
    assert not transition(session, letter=letter, to=S.bounced, actor=ACTOR), "already there"

    assert letter.status == S.bounced and letter.status_changed_at >= before
    [event] = session.scalars(select(LetterEvent).where(LetterEvent.letter_id == letter.id))
    assert (event.from_status, event.to_status, event.detail) == (
        "queued",
        "bounced",
        "Boîte pleine",
    )
    [audit] = session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "letter", AuditEvent.object_id == str(letter.id)
        )
    )
    assert (audit.action, audit.before, audit.after) == (
        "letter.status",
        {"status": "queued"},
        {"status": "bounced", "detail": "Boîte pleine"},
    )


def test_a_new_letter_gets_its_first_status_and_event(session: Session, make_letter) -> None:  # type: ignore[no-untyped-def]
    letter = make_letter(None)
    transition(session, letter=letter, to=S.sent, actor=ACTOR, note="Appel", audit=False)
    [event] = session.scalars(select(LetterEvent).where(LetterEvent.letter_id == letter.id))
    assert (event.from_status, event.to_status) == (None, "sent")
    with pytest.raises(Conflict, match="créé"):
        transition(session, letter=make_letter(None), to=S.queued, actor=ACTOR)


@pytest.mark.parametrize("through_session", [False, True], ids=["connection", "session"])
def test_the_bulk_variant_moves_only_the_letters_that_may_move(
    session: Session, make_letter, make_official, through_session: bool
) -> None:  # type: ignore[no-untyped-def]
    official = make_official()
    queued = [make_letter(S.queued, official) for _ in range(3)]
    replied, draft = make_letter(S.replied, official), make_letter(S.draft, official)
    ids = [letter.id for letter in [*queued, replied, draft]]
    actor = Actor(user_id=None, label="file d'envoi")

    bind = session if through_session else session.connection()
    moved = transition_many(bind, letter_ids=ids, to=S.failed, actor=actor, note="550")

    assert moved == 3
    statuses = dict(
        session.execute(select(Letter.id, Letter.status).where(Letter.id.in_(ids))).all()
    )
    assert statuses == {
        **dict.fromkeys([q.id for q in queued], "failed"),
        replied.id: "replied",
        draft.id: "draft",
    }
    events = session.execute(
        select(
            LetterEvent.letter_id,
            LetterEvent.from_status,
            LetterEvent.to_status,
            LetterEvent.detail,
        )
        .where(LetterEvent.letter_id.in_(ids))
        .order_by(LetterEvent.letter_id)
    ).all()
    assert [tuple(e) for e in events] == [(q.id, "queued", "failed", "550") for q in queued]
    if through_session:
        assert queued[0].status == S.failed, "letters already loaded are read again"
    assert transition_many(bind, letter_ids=ids, to=S.failed, actor=actor) == 0
    with pytest.raises(Conflict, match="brouillon"):
        transition_many(bind, letter_ids=ids, to=S.draft, actor=actor)
