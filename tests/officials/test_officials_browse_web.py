import csv
import io
from datetime import date
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.officials.models import Official
from app.users.models import Role
from tests.factories import add_official


class Page(HTMLParser):
    """The bits of a page the tests look at: table rows as text, links, the main heading."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.has_html_tag = False
        self._row: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.has_html_tag = True
        if tag == "tr":
            self._row = []
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row is not None:
            self.rows.append(" ".join(" ".join(self._row).split()))
            self._row = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._row is not None:
            self._row.append(data)

    @property
    def body_rows(self) -> list[str]:
        return self.rows[1:]

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture
def people(session: Session) -> dict[str, Official]:
    return {
        "melenchon": add_official(
            session,
            kind="deputy",
            civility="M.",
            first_name="Jean-Luc",
            last_name="Mélenchon",
            source_id="deputy-jeanlucmelenchon",
            group_code="LFI-NFP",
            group_name="La France insoumise - NFP",
            department_code="13",
            department_name="Bouches-du-Rhône",
            circonscription=4,
            email="jean-luc.melenchon@assemblee-nationale.fr",
            phone="+33 1 40 63 60 00",
            postal_address="126 rue de l'Université\n75355 Paris 07 SP",
            mandate_start=date(2024, 7, 18),
        ),
        "lepen": add_official(
            session,
            kind="deputy",
            civility="Mme",
            first_name="Marine",
            last_name="Le Pen",
            group_code="RN",
            department_code="62",
            department_name="Pas-de-Calais",
        ),
        "larcher": add_official(
            session,
            kind="senator",
            civility="M.",
            first_name="Gérard",
            last_name="Larcher",
            group_code="LR",
            department_code="78",
            department_name="Yvelines",
        ),
        "gatel": add_official(
            session,
            kind="senator",
            civility="Mme",
            first_name="Françoise",
            last_name="Gatel",
            department_code="35",
            mandate_end=date(2024, 12, 23),
        ),
        "lecornu": add_official(
            session,
            kind="minister",
            civility="M.",
            first_name="Sébastien",
            last_name="Lecornu",
            portfolio="Premier ministre",
        ),
        "bayrou": add_official(
            session,
            kind="minister",
            civility="M.",
            first_name="François",
            last_name="Bayrou",
            portfolio="Premier ministre",
            mandate_end=date(2025, 9, 9),
        ),
    }


# --- API -----------------------------------------------------------------------------------


def test_api_lists_filters_and_paginates_without_signing_in(
    client: TestClient, people: dict[str, Official]
) -> None:
    body = client.get("/api/officials").json()
    assert body["total"] == 4
    assert (body["page"], body["size"]) == (1, 50)
    assert [o["last_name"] for o in body["items"]] == ["Larcher", "Le Pen", "Lecornu", "Mélenchon"]
    assert client.get("/api/officials", params={"kind": "senator"}).json()["total"] == 1
    body = client.get("/api/officials", params={"q": "francois", "active": "false"}).json()
    assert [o["last_name"] for o in body["items"]] == ["Bayrou", "Gatel"]
    body = client.get("/api/officials", params={"q": "lecornou"}).json()
    assert [o["last_name"] for o in body["items"]] == ["Lecornu"]
    body = client.get("/api/officials", params={"size": 2, "page": 2, "active": "tous"}).json()
    assert (body["total"], len(body["items"]), body["page"]) == (6, 2, 2)
    assert (
        client.get("/api/officials", params={"departement": "13", "group": "lfi-nfp"}).json()[
            "total"
        ]
        == 1
    )


def test_api_official_has_every_public_field(
    client: TestClient, people: dict[str, Official]
) -> None:
    official = people["melenchon"]
    body = client.get(f"/api/officials/{official.id}").json()
    assert body == {
        "id": official.id,
        "kind": "deputy",
        "source_id": "deputy-jeanlucmelenchon",
        "civility": "M.",
        "first_name": "Jean-Luc",
        "last_name": "Mélenchon",
        "group_code": "LFI-NFP",
        "group_name": "La France insoumise - NFP",
        "department_code": "13",
        "department_name": "Bouches-du-Rhône",
        "circonscription": 4,
        "portfolio": "",
        "email": "jean-luc.melenchon@assemblee-nationale.fr",
        "phone": "+33 1 40 63 60 00",
        "postal_address": "126 rue de l'Université\n75355 Paris 07 SP",
        "mandate_start": "2024-07-18",
        "mandate_end": None,
        "active": True,
        "email_bouncing": False,
    }
    assert client.get(f"/api/officials/{people['bayrou'].id}").json()["active"] is False


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/officials/999999", 404, "Aucun élu ne porte l'identifiant 999999"),
        ("/api/officials/abc", 422, "nombre entier attendu"),
        ("/api/officials?kind=foo", 422, "Paramètre « kind » : type d'élu inconnu « foo »"),
        ("/api/officials?departement=Paris", 422, "code de département invalide"),
        ("/api/officials?active=peut-etre", 422, "true, false ou tous attendu"),
        ("/api/officials?page=deux", 422, "nombre entier attendu"),
        ("/api/officials?q=" + "x" * 300, 422, "texte trop long"),
    ],
)
def test_api_errors_are_in_french(client: TestClient, path: str, status: int, message: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert message in response.json()["detail"]


# --- Pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/annuaire", "/annuaire/export.csv", "/annuaire/1"])
def test_pages_send_anonymous_users_to_sign_in(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/connexion?suivant=")


def test_every_role_browses_the_directory(
    client: TestClient,
    sign_in_as,  # type: ignore[no-untyped-def]
    people: dict[str, Official],
) -> None:
    # One test signing in each role in turn: the users fixture is slow (argon2) to set up.
    for role in Role:
        sign_in_as(role)
        page = Page(client.get("/annuaire").text)
        assert f"{role.value}@test.fr" in page.all_text
        assert len(page.body_rows) == 4
        assert page.body_rows[3].startswith(
            "M. Jean-Luc Mélenchon Député LFI-NFP Bouches-du-Rhône (13), 4e circ."
        )
        assert page.body_rows[1].startswith("Mme Marine Le Pen Députée RN")
        assert "4 élus" in page.all_text
        assert f"/annuaire/{people['lecornu'].id}" in page.links
        assert "/annuaire/export.csv?active=true" in page.links
        detail = Page(client.get(f"/annuaire/{people['melenchon'].id}").text)
        assert "Jean-Luc Mélenchon" in detail.all_text
        assert "mailto:jean-luc.melenchon@assemblee-nationale.fr" in detail.links
        assert "126 rue de l'Université, 75355 Paris 07 SP" in detail.all_text
        assert "Début de mandat 18/07/2024" in detail.all_text
        assert "Historique" in detail.all_text


def test_directory_filters_from_the_form(
    client: TestClient, sign_in_as, people: dict[str, Official]
) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.viewer)
    form = {"q": "Melanchon", "kind": "", "departement": "", "group": "", "active": "true"}
    page = Page(client.get("/annuaire", params=form).text)
    assert [row.split(" Député")[0] for row in page.body_rows] == ["M. Jean-Luc Mélenchon"]
    assert "/annuaire/export.csv?q=Melanchon&active=true" in page.links
    ended = Page(client.get("/annuaire", params={"active": "false", "kind": "senator"}).text)
    assert [row.split(" Sénatrice")[0] for row in ended.body_rows] == ["Mme Françoise Gatel"]
    assert "terminé le 23/12/2024" in ended.body_rows[0]
    empty = Page(client.get("/annuaire", params={"q": "zzkqxw"}).text)
    assert empty.body_rows == ["Aucun élu ne correspond à ces critères."]
    bad = client.get("/annuaire", params={"kind": "foo"})
    assert bad.status_code == 422
    assert "type d'élu inconnu" in Page(bad.text).all_text


def test_ended_official_page_says_so(
    client: TestClient, sign_in_as, people: dict[str, Official]
) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.staff)
    page = Page(client.get(f"/annuaire/{people['bayrou'].id}").text)
    assert "Mandat terminé le 09/09/2025." in page.all_text
    assert "Ministre — Premier ministre" in page.all_text
    missing = client.get("/annuaire/999999")
    assert missing.status_code == 404
    assert "Aucun élu ne porte l'identifiant 999999" in Page(missing.text).all_text


def test_htmx_search_gets_only_the_results(
    client: TestClient, sign_in_as, people: dict[str, Official]
) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.staff)
    partial = Page(
        client.get("/annuaire", params={"q": "lepen"}, headers={"HX-Request": "true"}).text
    )
    assert not partial.has_html_tag
    assert len(partial.body_rows) == 1 and "Le Pen" in partial.body_rows[0]
    assert Page(client.get("/annuaire").text).has_html_tag


def test_csv_export_of_a_filtered_list(
    client: TestClient, sign_in_as, people: dict[str, Official]
) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(Role.director)
    response = client.get("/annuaire/export.csv", params={"kind": "deputy", "active": "tous"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(
        'attachment; filename="annuaire-deputes-'
    ) and disposition.endswith('.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";")
    )
    assert rows[0][:4] == ["Type", "Civilité", "Prénom", "Nom"]
    assert [row[3] for row in rows[1:]] == ["Le Pen", "Mélenchon"]
    assert "Bouches-du-Rhône" in rows[2]
    everyone = client.get("/annuaire/export.csv", params={"active": "tous"}).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(everyone, newline=""), delimiter=";"))
    assert len(rows) == 1 + len(people)
    # A multi-line address stays in one quoted cell.
    assert "126 rue de l'Université\n75355 Paris 07 SP" in rows[-1]
