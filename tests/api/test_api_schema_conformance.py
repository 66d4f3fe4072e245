"""Schemathesis against the app's own OpenAPI schema, in process, as anonymous and as every role.

Every check is on. Cases are drawn from a fixed Hypothesis profile (derandomized, a fixed number of
examples per operation and mode), so a run is reproducible and its size known in advance.
"""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import FailureGroup

from app.config import Settings
from app.users.models import Role
from tests.geography.geocoder_server import GeocoderServer

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

EXAMPLES_PER_MODE = 8
MIN_CASES_PER_IDENTITY = 400  # five identities: at least 2,000 cases in all

PROFILE = settings(
    max_examples=EXAMPLES_PER_MODE,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)

load_all_checks()
ALL_CHECKS = list(CHECKS.get_all())

# Where OpenAPI cannot say what makes a request acceptable, a schema-valid request may still get
# the documented 422: a lookup needs one of its optional parameters; a body may name an object
# that does not exist (a template, a demand, an official) or a transition its letter cannot take;
# an inbound reply must be an e-mail.
RULES_BEYOND_SCHEMA = [
    ("GET", "/api/lookup"),
    ("POST", "/api/campaigns"),
    ("PUT", "/api/campaigns/{campaign_id}"),
    ("POST", "/api/campaigns/{campaign_id}/generate"),
    ("POST", "/api/campaigns/{campaign_id}/contacts"),
    ("POST", "/api/templates/{template_id}/preview"),
    ("POST", "/api/letters/{letter_id}/status"),
    ("POST", "/api/replies/inbound"),
    # The official and the demand must exist; each kind of evidence needs its own fields.
    ("POST", "/api/stances"),
    # A proposal is reviewed once; a rejection needs a reason.
    ("POST", "/api/stances/{stance_id}/review"),
    # Dates must be real calendar days, and a period must not end before it starts.
    ("GET", "/api/dashboard"),
    ("GET", "/api/hatvp"),
]
CONFIG = schemathesis.Config.from_dict(
    {
        "operations": [
            {
                "include-name-regex": f"^{method} {re.escape(path)}$",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "503"]
                    }
                },
            }
            for method, path in RULES_BEYOND_SCHEMA
        ]
    }
)


@pytest.fixture(scope="module")
def geocoder() -> Iterator[GeocoderServer]:
    with GeocoderServer() as server:
        yield server


@pytest.fixture
def settings(database_url: str, tmp_path: Path, geocoder: GeocoderServer) -> Settings:
    """The app's settings, with the geocoder on loopback: no call leaves the machine, and an
    address it does not know is answered « introuvable », as the real service would."""
    return Settings(
        database_url=database_url,
        data_dir=tmp_path,
        mail_backend="file",
        geocoder_url=geocoder.url,
    )


def _run_operation(
    operation: schemathesis.APIOperation, mode: GenerationMode, headers: dict[str, str]
) -> int:
    count = 0

    @PROFILE
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        nonlocal count
        count += 1
        case.call_and_validate(headers=headers, checks=ALL_CHECKS)

    run()
    return count


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r or "anonymous")
def test_api_answers_as_its_schema_says(
    app: FastAPI, api_headers: Callable[[Role], dict[str, str]], role: Role | None
) -> None:
    headers = api_headers(role) if role else {}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=CONFIG)
    cases, failures = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                cases += _run_operation(operation, mode, headers)
            except Unsatisfiable:
                # Nothing to get wrong: no parameter, no body (only the negative mode may say so).
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (Exception, FailureGroup) as exc:  # every operation tried, all failures told
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    print(f"{role or 'anonymous'}: {cases} cases")
    assert not failures, "\n\n".join(failures)
    assert cases >= MIN_CASES_PER_IDENTITY
