"""The public journey over HTTP: postcode, letter, nudge, confirmation e-mail, single-use click."""

from email.utils import parseaddr
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from supporters_support import (
    SLUG,
    SUPPORTER,
    letter_form,
    link_in,
    mails,
    officials_offered,
    run_outbox,
    write_letter,
)

from app.config import Settings
from app.db import unit_of_work
from app.letters.models import Channel, Letter
from app.supporters.models import SupporterAction


def letters_count(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).where(Letter.channel == Channel.web_form)) or 0


def test_postcode_shows_deputies_and_senators(sup_client: TestClient) -> None:
    page = sup_client.get("/agir", params={"q": "75011"})
    assert page.status_code == 200
    deputies, senators = officials_offered(page.text)
    assert len(deputies) >= 2, "75011 is split between circonscriptions: every candidate shown"
    assert senators
    assert "Choisissez votre député" in page.text


def test_unknown_postcode_is_a_french_message(sup_client: TestClient) -> None:
    page = sup_client.get("/agir", params={"q": "00000"})
    assert 400 <= page.status_code < 500
    assert 'lang="fr"' in page.text


def test_whole_journey(sup_client: TestClient, sup_engine: Engine, sup_settings: Settings) -> None:
    # Other modules share this database and may leave e-mails queued: sent elsewhere first.
    elsewhere = sup_settings.model_copy(update={"data_dir": sup_settings.data_dir / "avant"})
    run_outbox(sup_engine, elsewhere)
    before = letters_count(sup_engine)
    data = write_letter(sup_client, SLUG)
    untouched = data | {"personal": ""}
    nudged = sup_client.post(f"/agir/{SLUG}/envoyer", data=untouched, follow_redirects=False)
    assert nudged.status_code == 200 and 'id="nudge"' in nudged.text
    sent = sup_client.post(f"/agir/{SLUG}/envoyer", data=data, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    assert run_outbox(sup_engine, sup_settings) == 1
    assert letters_count(sup_engine) == before, "nothing reaches an official before the click"
    (confirmation,) = mails(sup_settings.mail_dir)
    assert parseaddr(confirmation["To"])[1] == SUPPORTER["email"]
    link = link_in(confirmation, "/agir/confirmer/")
    path = link.removeprefix("http://127.0.0.1")
    page = sup_client.get(path)
    assert "Oui, envoyer ma lettre" in page.text
    done = sup_client.post(path, data={"csrf_token": _csrf(page.text)})
    assert done.status_code == 200 and "Merci" in done.text
    officials = len(data["official"])
    assert letters_count(sup_engine) == before + officials
    again = sup_client.post(path, data={"csrf_token": _csrf(page.text)})
    assert "déjà confirmée" in again.text
    assert letters_count(sup_engine) == before + officials
    assert run_outbox(sup_engine, sup_settings) == officials
    letters = [m for m in mails(sup_settings.mail_dir) if m is not confirmation][1:]
    assert len(letters) == officials
    for message in letters:
        name, address = parseaddr(message["From"])
        assert (name, address) == (SUPPORTER["name"], "contact@asso.example")
        assert parseaddr(message["Reply-To"])[1] == SUPPORTER["email"]
        body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "Je suis mère de deux enfants" in body
        assert body.rstrip().endswith("75011")


def test_letter_leads_with_the_chosen_demand(sup_client: TestClient) -> None:
    page = sup_client.get("/agir", params={"q": "01000"})
    deputies, _senators = officials_offered(page.text)
    lead = sup_client.get(
        f"/agir/{SLUG}/lettre",
        params={"official": deputies[:1], "lead": "4", "version": "detaille"},
    )
    form = letter_form(lead.text)
    body = next(v for k, v in form.items() if k.startswith("body_"))
    assert isinstance(body, str)
    assert body.startswith(("Madame la Députée,", "Monsieur le Député,"))
    first = body.index("Ce qui compte le plus pour moi")
    assert "image" in body[first : first + 200].lower()


def _csrf(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_confirm_link_forged_or_missing(sup_client: TestClient, sup_engine: Engine) -> None:
    page = sup_client.get("/agir/confirmer/abc")
    token = _csrf(page.text)
    forged = sup_client.post("/agir/confirmer/abc", data={"csrf_token": token})
    assert forged.status_code == 404 and "pas valide" in forged.text
    with unit_of_work(sup_engine) as session:
        assert session.scalar(select(func.count()).select_from(SupporterAction)) is not None


def test_a_supporter_abroad_writes_to_the_deputy_of_their_country(
    sup_client: TestClient, sup_engine: Engine
) -> None:
    page = sup_client.get(f"/agir/{SLUG}", params={"q": "Allemagne"})
    assert page.status_code == 200
    deputies, senators = officials_offered(page.text)
    assert len(deputies) == 1 and len(senators) == 12
    assert "7e circonscription des Français établis hors de France" in page.text
    letter = sup_client.get(f"/agir/{SLUG}/lettre", params={"official": deputies + senators})
    assert "Pays de résidence" in letter.text and 'pattern="[0-9]{5}"' not in letter.text
    data = write_letter(sup_client, SLUG, q="Allemagne", email="expatriee@exemple.fr")
    wrong = sup_client.post(
        f"/agir/{SLUG}/envoyer", data=data | {"postcode": "Atlantide"}, follow_redirects=False
    )
    assert wrong.status_code == 422 and "pays de résidence" in unescape(wrong.text)
    sent = sup_client.post(
        f"/agir/{SLUG}/envoyer", data=data | {"postcode": "allemagne"}, follow_redirects=False
    )
    assert sent.status_code == 303, sent.text
    with unit_of_work(sup_engine) as session:
        action = session.scalars(
            select(SupporterAction)
            .where(SupporterAction.name == SUPPORTER["name"])
            .order_by(SupporterAction.id.desc())
        ).first()
        assert action is not None and action.postcode == "Allemagne"  # signed with the country
