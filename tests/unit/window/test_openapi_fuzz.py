"""Schemathesis over the window's and the ops API's OpenAPI documents, in-process on the fakes:
no generated request makes a server error, none that breaks the schema is accepted, and no
refused request publishes anything."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection

from onething.settings import Settings
from ops.api import create_ops_app
from tests.unit.window.support import NOW, SUCHENG_KEY, Fakes

OPS_KEY = {"X-Ops-Key": "test-ops-key"}
FAKES = Fakes()  # one app per document; each call starts with nothing published
WINDOW = schemathesis.openapi.from_asgi("/openapi.json", FAKES.app())
OPS = schemathesis.openapi.from_asgi(
    "/openapi.json",
    create_ops_app(
        Settings(ops_api_key="test-ops-key"),
        queries=FAKES.model,
        publisher=FAKES.publisher,
        clock=lambda: NOW,
    ),
)
for schema in (WINDOW, OPS):
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])

SMALL = settings(
    max_examples=30, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)


def _call_and_check(case: Any, headers: dict[str, str]) -> None:
    FAKES.publisher.sent.clear()
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error, negative_data_rejection])
    if response.status_code >= 400:
        assert [] == FAKES.publisher.sent, f"{response.status_code} but published"


@WINDOW.parametrize()
@SMALL
def test_the_window_api_survives_generated_requests(case: Any) -> None:
    _call_and_check(case, SUCHENG_KEY)


@OPS.parametrize()
@SMALL
def test_the_ops_api_survives_generated_requests(case: Any) -> None:
    _call_and_check(case, OPS_KEY)
