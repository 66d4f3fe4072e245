"""Every page, rendered with real rows for an admin, shows French words only: no stored enum value
(« replied », « email · sent », « (deputy) ») and no « (s) » plural in the visible text."""

import re
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.config import Settings
from app.letters.models import Channel, LetterStatus
from app.mailing.models import OutboxStatus
from app.officials.models import OfficialKind
from app.replies.models import MatchedBy
from app.stances.models import EvidenceKind, Position, StanceStatus
from app.supporters.models import ActionStatus
from app.templating.models import TemplatePurpose
from app.users.models import Role
from tests.conftest import sign_in
from tests.factories import add_user
from tests.world import page_urls, populate

ENUMS = (
    LetterStatus, Channel, OfficialKind, Role, Position, EvidenceKind, StanceStatus,
    TemplatePurpose, MatchedBy, ActionStatus, OutboxStatus,
)  # fmt: skip
FRENCH_TOO = {"vote", "question"}  # enum values that are also French words
RAW = {member.value for enum in ENUMS for member in enum} - FRENCH_TOO
# Not prose: code, and template sources staff edit (placeholders such as {{ sender.name }}).
HIDDEN = {"script", "style", "template", "code", "textarea"}
# E-mail addresses, links and letter-template placeholders are not words a reader is shown.
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
FAKE_PLURAL = re.compile(r"\w\((s|e|es|x|aux)\)")


class _VisibleText(HTMLParser):
    """The text a reader sees: element text, and the placeholder, title and alt attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        self.parts += [
            value or "" for key, value in attrs if key in ("placeholder", "title", "alt")
        ]

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return ADDRESSES.sub(" ", " ".join(parser.parts))


def leaks(html: str) -> list[str]:
    """The raw enum values and « (s) » plurals a reader would see."""
    text = visible_text(html)
    words = {word for word in re.findall(r"\w+", text) if word in RAW}
    return sorted(words | {m.group() for m in FAKE_PLURAL.finditer(text)})


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<p>Courrier n° 3 (replied)</p>", ["replied"]),
        ("<small>email · sent</small>", ["email", "sent"]),
        ("<td>Martin (deputy)</td>", ["deputy"]),
        ("<p>3 courrier(s) préparé(s)</p>", ["r(s)", "é(s)"]),
        ('<input placeholder="web_form">', ["web_form"]),
    ],
)
def test_the_check_sees_raw_values(html: str, found: list[str]) -> None:
    assert leaks(html) == found


def test_the_check_ignores_code_addresses_and_french() -> None:
    html = (
        '<script>var status = "sent";</script><option value="sent">envoyé</option>'
        "<p>Présenté par admin@asso.fr, voir https://example.org/post — vote, question</p>"
    )
    assert leaks(html) == []


def test_every_page_is_in_french(
    app: FastAPI, client: TestClient, session: Session, settings: Settings
) -> None:
    settings.public_scorecard = True  # /engagements is a page too once published
    ids = populate(session)
    admin = add_user(session, role=Role.admin, email="camille@asso.fr", full_name="Camille Roy")
    sign_in(client, admin)
    found, pages = {}, {}
    for url in page_urls(app, ids):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = " ".join(visible_text(response.text).split())
        if problems := leaks(response.text):
            found[url] = problems
    # The rows really are on the pages, in French.
    campaign = pages[f"/campagnes/{ids['campaign_id']}"]
    for words in ("répondu", "rejeté", "en file d'envoi", "courrier postal", "formulaire public"):
        assert words in campaign, words
    assert "Députée" in campaign and "Sénateur" in campaign
    assert "appel téléphonique" in pages["/reponses"]
    assert "Protégeons les enfants en ligne" in pages["/sympathisants"]
    assert "Validée" in pages["/direction/positions"] and "Refusée" in pages["/direction/positions"]
    assert "statut : envoyé → répondu" in pages["/admin/journal"]
    assert found == {}, "\n".join(f"{url}: {words}" for url, words in found.items())
