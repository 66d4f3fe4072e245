"""/api/docs works offline: every file it loads is served by the app itself, and the schema it
shows declares the bearer token behind Swagger UI's « Authorize » button."""

from html.parser import HTMLParser

from fastapi.testclient import TestClient


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.data_urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in ("src", "href") and value:
                self.urls.append(value)
            if key.startswith("data-") and key.endswith("-url") and value:
                self.data_urls.append(value)


def test_the_docs_load_only_local_files(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "<script>" not in page.text and "style=" not in page.text
    found = _Resources()
    found.feed(page.text)
    assert len(found.urls) >= 4, found.urls
    for url in [*found.urls, *found.data_urls]:
        assert url.startswith("/") and not url.startswith("//"), url
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.content, url
    assert any(url.endswith("swagger-ui-bundle.js") for url in found.urls)
    schema = client.get(found.data_urls[0]).json()
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_favicon_is_served_where_browsers_look(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.content.startswith(b"\x00\x00\x01\x00")
    home = client.get("/").text
    assert 'rel="icon"' in home and "favicon.svg" in home
    assert client.get("/static/favicon.svg").headers["content-type"].startswith("image/svg")
