"""Swagger UI in a browser cut off from the internet: it draws the API and its « Authorize »."""

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser


def test_api_docs_work_offline_with_authorize(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    outside: list[str] = []

    def only_the_app(route: Route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_app)
    page.goto("/api/docs")
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    assert outside == []
