"""« Utiliser ma position » on the campaign page: a point gives the one député, preselected;
a misspelt commune offers « Vouliez-vous dire » links."""

from fastapi.testclient import TestClient
from supporters_support import SLUG, officials_offered


def test_a_position_gives_the_one_deputy(sup_client: TestClient) -> None:
    page = sup_client.get(f"/agir/{SLUG}", params={"lat": "48.8590", "lon": "2.3790"}).text
    deputies, senators = officials_offered(page)
    assert len(deputies) == 1 and senators
    assert f'value="{deputies[0]}" checked' in page
    assert 'class="geolocate" hidden' in page and "/static/geolocate.js" in page


def test_a_misspelt_commune_suggests(sup_client: TestClient) -> None:
    page = sup_client.get(f"/agir/{SLUG}", params={"q": "Marseile"}).text
    assert "Vouliez-vous dire" in page and "insee=13055" in page
    assert officials_offered(page) == ([], [])
    chosen = sup_client.get(f"/agir/{SLUG}", params={"insee": "13055"}).text
    assert len(officials_offered(chosen)[0]) == 7
