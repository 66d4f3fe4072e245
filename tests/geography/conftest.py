"""Geography fixtures: the official files parsed once, and per backend a database holding the
project's geography and officials (committed once, only read by the tests)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from geo_files import OFFICIAL_FILES, ROOT
from geocoder_server import GeocoderServer
from sqlalchemy import Engine

from app.config import Settings
from app.db import build_engine, unit_of_work
from app.geography.importers import GeographyData, build_geography
from app.geography.service import load_project_geography
from app.main import create_app
from app.officials.sync import load_project_data


@pytest.fixture(scope="session")
def official_geography() -> GeographyData:
    return build_geography(**OFFICIAL_FILES)


@pytest.fixture(scope="session")
def geo_url(backend: str, make_migrated_url) -> str:  # type: ignore[no-untyped-def]
    url: str = make_migrated_url(backend)
    engine = build_engine(url)
    with unit_of_work(engine) as session:
        load_project_geography(session, ROOT / "data")
        load_project_data(session, ROOT / "data", None)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def geo_engine(geo_url: str) -> Iterator[Engine]:
    engine = build_engine(geo_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def geo_client(geo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(database_url=geo_url, data_dir=Path(tmp_path_factory.mktemp("geo")))
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def geocoder() -> Iterator[GeocoderServer]:
    with GeocoderServer() as server:
        yield server


@pytest.fixture(scope="session")
def address_client(
    geo_url: str, geocoder: GeocoderServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    settings = Settings(
        database_url=geo_url,
        data_dir=Path(tmp_path_factory.mktemp("geo")),
        geocoder_url=geocoder.url,
    )
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client
    app.state.engine.dispose()
