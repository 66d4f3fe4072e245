"""Templates name their routes: no hard-coded application URL, and every name resolves.

The scan reads every file under templates/; the renders walk the signed-in pages from the home
page and check that each link and form the HTML carries leads to a route the app serves.
"""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jinja2 import nodes
from sqlalchemy.orm import Session
from starlette.routing import Match

from app.campaigns.models import Campaign
from app.config import Settings
from app.db import utcnow
from app.letters.models import Channel, Letter, LetterStatus
from app.mailing.message import new_message_id, new_reply_token
from app.main import create_app
from app.officials.models import Official
from app.replies.service import record_manual_reply
from app.security import Actor
from app.templating.defaults import seed_default_templates
from app.templating.models import Template, TemplatePurpose
from app.users.models import Role
from app.web.pages import TEMPLATES_DIR, templates

URL_ATTRIBUTES = r"href|action|src|formaction|hx-[a-z-]+"
HARD_CODED = [
    # an attribute whose value is a path of the app; /static/ files may be written out
    re.compile(rf"""\b(?:{URL_ATTRIBUTES})\s*=\s*["']?\s*/(?!static/)""", re.IGNORECASE),
    # an API path anywhere, in an attribute, a script or a text
    re.compile(r"/api/"),
]
JINJA_BLOCK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
PATH_LITERAL = re.compile(r"""(["'])/(?!static/)""")  # '/campagnes/%d' % id inside {{ }}


def hard_coded_urls(source: str) -> list[tuple[int, str]]:
    """(line number, line) of every application URL written out instead of named."""
    starts = [m.start() for pattern in HARD_CODED for m in pattern.finditer(source)]
    starts += [b.start() for b in JINJA_BLOCK.finditer(source) if PATH_LITERAL.search(b.group())]
    lines = source.splitlines()
    numbers = sorted({source.count("\n", 0, start) + 1 for start in starts})
    return [(number, lines[number - 1].strip()) for number in numbers]


def template_files() -> list[Path]:
    return sorted(path for path in TEMPLATES_DIR.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    "snippet",
    [
        '<a href="/annuaire">',
        "<a href='/courriers/{{ letter.id }}'>",
        '<form method="post" action="/connexion">',
        '<input hx-get="/annuaire" hx-trigger="input">',
        '<button formaction="/modeles/1/apercu">',
        '<img src="/logo.png">',
        '<a href="/">',
        "<script>fetch(api + '/api/lookup')</script>",
        "<form action=\"{{ '/campagnes/%d' % campaign.id if campaign else '/campagnes' }}\">",
    ],
)
def test_the_scan_catches_a_hard_coded_url(snippet: str) -> None:
    assert hard_coded_urls(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "<a href=\"{{ path_for('official_page', official_id=o.id) }}\">",
        "<a href=\"{{ path_for('reply_new_page') }}?elu={{ official.id }}\">",
        '<a href="?page=2">',
        '<a href="mailto:elu@assemblee-nationale.fr">',
        '<a href="https://www.assemblee-nationale.fr/">',
        '<link rel="stylesheet" href="/static/plaidoyer.css">',
        "<a href=\"{{ path_for('static', path='plaidoyer.css') }}\">",
        '<td>{{ date.strftime("%d/%m/%Y") }}</td>',
    ],
)
def test_the_scan_lets_named_and_outside_urls_through(snippet: str) -> None:
    assert hard_coded_urls(snippet) == []


def test_no_template_hard_codes_an_application_url() -> None:
    files = template_files()
    assert len(files) > 20, "templates/ introuvable ou presque vide"
    offenders = [
        f"{path.relative_to(TEMPLATES_DIR)}:{line}: {excerpt}"
        for path in files
        for line, excerpt in hard_coded_urls(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "URL écrites en dur au lieu de path_for(...) :\n" + "\n".join(offenders)


def path_for_calls() -> Iterator[tuple[str, int, str, list[str]]]:
    """(template, line, route name, keyword names) of every path_for(...) in templates/."""
    for path in template_files():
        source = path.read_text(encoding="utf-8")
        tree = templates.env.parse(source)
        for call in tree.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name in ("path_for", "url_for"):
                first = call.args[0] if call.args else None
                assert isinstance(first, nodes.Const), f"{path}:{call.lineno}: nom calculé"
                keywords = [keyword.key for keyword in call.kwargs]
                yield str(path.relative_to(TEMPLATES_DIR)), call.lineno, first.value, keywords


def test_every_route_name_in_templates_resolves(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'names.db'}", data_dir=tmp_path, mail_backend="file"
    )
    application = create_app(settings)
    calls = list(path_for_calls())
    assert len(calls) > 60
    for name, line, route, keywords in calls:
        # NoMatchFound if the name or its parameters do not match a route of the app
        assert application.url_path_for(route, **dict.fromkeys(keywords, "1")), (name, line)
    application.state.engine.dispose()


class _Links(HTMLParser):
    """The same-site URLs a page points to, with the HTTP method each one is used with."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[tuple[str, str]] = set()
        self.form_method = "GET"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.form_method = values.get("method", "get").upper()
        for key, method in (
            ("href", "GET"),
            ("src", "GET"),
            ("hx-get", "GET"),
            ("action", self.form_method),
            ("hx-post", "POST"),
            ("formaction", "POST"),
        ):
            url = values.get(key, "")
            if url.startswith("/") and not url.startswith("//"):
                self.found.add((method, url))


def links_of(html: str) -> set[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.found


def serves(app: FastAPI, method: str, url: str) -> bool:
    scope = {"type": "http", "method": method, "path": url.split("?")[0], "root_path": ""}
    return any(route.matches(scope)[0] is Match.FULL for route in app.routes)


@pytest.fixture
def world(session: Session) -> dict[str, int]:
    """A campaign with a replied letter, a letter to chase and its follow-up: every link shows."""
    seed_default_templates(session)
    template = session.query(Template).filter_by(purpose=TemplatePurpose.first_letter).first()
    follow_up = session.query(Template).filter_by(purpose=TemplatePurpose.follow_up).first()
    assert template and follow_up
    campaign = Campaign(
        name="Journée pour un internet plus sûr",
        slug="internet-plus-sur",
        first_template_id=template.id,
        follow_up_template_id=follow_up.id,
    )
    officials = [
        Official(
            kind="deputy",
            source_id=f"PA{number}",
            civility="Mme",
            first_name="Éloïse",
            last_name=last_name,
            search_name=f"eloise {last_name.lower()}",
            email=f"{last_name.lower()}@assemblee-nationale.fr",
            group_code="ECOS",
            department_code="75",
            department_name="Paris",
            circonscription=number,
        )
        for number, last_name in ((1, "Martin"), (2, "Durand"))
    ]
    session.add_all([campaign, *officials])
    session.flush()
    month_ago = utcnow() - timedelta(days=30)

    def letter(official: Official, **fields: object) -> Letter:
        made = Letter(
            campaign_id=campaign.id,
            official_id=official.id,
            channel=Channel.email,
            subject="Protection de l'enfance en ligne",
            body="Madame la Députée, …",
            recipient_email=official.email,
            message_id=new_message_id("asso.example"),
            reply_token=new_reply_token(),
            created_at=month_ago,
            status_changed_at=month_ago,
            **fields,
        )
        session.add(made)
        session.flush()
        return made

    replied = letter(officials[0], status=LetterStatus.sent)
    to_chase = letter(officials[1], status=LetterStatus.sent)
    chased = letter(officials[0], status=LetterStatus.draft, follow_up_of_id=replied.id)
    reply = record_manual_reply(
        session,
        official_id=officials[0].id,
        letter_id=replied.id,
        text="Je soutiens vos demandes.",
        received_at=datetime(2026, 11, 20, 12, tzinfo=UTC),
        channel="post",
        subject="Votre courrier",
        actor=Actor.system("tests"),
    )
    return {
        "campaign_id": campaign.id,
        "official_id": officials[0].id,
        "letter_id": chased.id,
        "to_chase_id": to_chase.id,
        "template_id": template.id,
        "reply_id": reply.id,
    }


def test_pages_link_only_to_routes_the_app_serves(
    app: FastAPI, client: TestClient, sign_in_as, world: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    def path(name: str, **ids: str) -> str:
        return app.url_path_for(name, **{key: str(world[value]) for key, value in ids.items()})

    login = client.get(path("login_page"))
    assert login.status_code == 200
    sign_in_as(Role.admin)
    missing = app.url_path_for("letter_page", letter_id="999999")  # the error page
    preview = path("template_preview", template_id="template_id")
    start = [path("home"), f"{preview}?official_id={world['official_id']}", missing]
    pending, seen, checked = list(start), set(start), links_of(login.text)
    while pending:
        url = pending.pop()
        response = client.get(url)
        assert response.status_code == (404 if url == missing else 200), url
        if "text/html" not in response.headers["content-type"]:
            continue
        for method, link in links_of(response.text):
            checked.add((method, link))
            if method == "GET" and link not in seen and not link.startswith("/static/"):
                seen.add(link)
                pending.append(link)
    assert sorted(link for link in checked if not serves(app, *link)) == []
    expected = {
        path("campaign_page", campaign_id="campaign_id"),
        path("campaign_edit", campaign_id="campaign_id"),
        path("send_confirm", campaign_id="campaign_id"),
        path("print", campaign_id="campaign_id"),
        path("official_page", official_id="official_id"),
        path("letter_page", letter_id="letter_id"),
        path("template_page", template_id="template_id"),
        path("reply_page", reply_id="reply_id"),
        path("reply_new_page"),
        path("chase_page"),
        path("users_page"),
        path("audit_page"),
        path("campaign_new"),
        path("template_new"),
        path("find_my_representative"),
    }
    assert sorted(expected - seen) == []
    posted = {url for method, url in checked if method == "POST"}
    assert path("chase_letter", letter_id="to_chase_id") in posted
    assert path("reply_code", reply_id="reply_id") in posted
    assert path("logout") in posted


def test_links_and_redirects_keep_the_prefix_a_proxy_serves_the_app_at(app: FastAPI) -> None:
    with TestClient(app, base_url="http://127.0.0.1", root_path="/plaidoyer") as proxied:
        home = proxied.get("/plaidoyer/")
        assert home.status_code == 200
        links = {url for _, url in links_of(home.text)}
        assert "/plaidoyer/trouver-mon-elu" in links
        assert "/plaidoyer/static/plaidoyer.css" in links
        assert all(url.startswith("/plaidoyer/") for url in links), links
        asked = proxied.get("/plaidoyer/admin/journal", follow_redirects=False)
        assert asked.headers["location"] == "/plaidoyer/connexion?suivant=/plaidoyer/admin/journal"
