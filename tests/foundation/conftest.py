"""Foundation fixtures: a client that reports crashes as 500s, and the cookies of every role."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from foundation_support import csrf_of

from app.users.models import Role


@dataclass(frozen=True)
class Visitor:
    """A signed-in (or anonymous) browser state: its session cookies and CSRF token."""

    role: Role | None
    cookies: dict[str, str]
    csrf: str
    api_headers: dict[str, str]


@pytest.fixture
def probe(app: FastAPI) -> Iterator[TestClient]:
    """A client that gets 500 answers instead of exceptions, so a test can name the route."""
    with TestClient(
        app, base_url="http://127.0.0.1", raise_server_exceptions=False, follow_redirects=False
    ) as test_client:
        yield test_client


@pytest.fixture
def visitors(client: TestClient, sign_in_as, api_headers) -> dict[Role | None, Visitor]:  # type: ignore[no-untyped-def]
    """Anonymous and each role: session cookies for pages (replay them with
    `probe.cookies = v.cookies`), a Bearer token for the API."""
    client.cookies.clear()
    token = csrf_of(client.get("/connexion").text)
    found: dict[Role | None, Visitor] = {None: Visitor(None, dict(client.cookies), token, {})}
    for role in Role:
        client.cookies.clear()
        token = sign_in_as(role)
        found[role] = Visitor(role, dict(client.cookies), token, api_headers(role))
    client.cookies.clear()
    return found
