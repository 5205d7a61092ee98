"""Schemathesis over the window's and the ops API's OpenAPI documents, in-process on the fakes:
no generated request makes a server error, none that breaks the schema is accepted, and no
refused request publishes anything.

Each document declares its key as an API-key security scheme (``WindowKey``, ``OpsKey``), and
schemathesis is given the key for it: it sends the key with every case except those that test
the key itself (left out), which the API must refuse with a 401 like any other bad input. The
ops document is itself behind the key, so it is loaded with it.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection

from onething.settings import Settings
from ops.api import create_ops_app
from tests.unit.window.support import NOW, SUCHENG_KEY, Fakes

OPS_KEY = {"X-Ops-Key": "test-ops-key"}
FAKES = Fakes()  # one app per document; each call starts with nothing published


def _keyed(scheme: str, key: str) -> SchemathesisConfig:
    """A configuration that gives schemathesis the key of the document's security scheme."""
    return SchemathesisConfig.from_dict({"auth": {"openapi": {scheme: {"api_key": key}}}})


WINDOW = schemathesis.openapi.from_asgi(
    "/openapi.json", FAKES.app(), config=_keyed("WindowKey", SUCHENG_KEY["X-Window-Key"])
)
OPS = schemathesis.openapi.from_asgi(
    "/openapi.json",
    create_ops_app(
        Settings(ops_api_key=OPS_KEY["X-Ops-Key"]),
        queries=FAKES.model,
        publisher=FAKES.publisher,
        clock=lambda: NOW,
    ),
    config=_keyed("OpsKey", OPS_KEY["X-Ops-Key"]),
    headers=OPS_KEY,
)
for schema in (WINDOW, OPS):
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])

SMALL = settings(
    max_examples=30, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)


def _call_and_check(case: Any) -> None:
    FAKES.publisher.sent.clear()
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error, negative_data_rejection])
    if response.status_code >= 400:
        assert [] == FAKES.publisher.sent, f"{response.status_code} but published"


def test_each_document_names_its_key_as_an_api_key_scheme() -> None:
    # Without the scheme schemathesis would not know the header is a credential, and would fuzz
    # it like any other input (and the key it was given would never be sent).
    for schema, name, header in (
        (WINDOW, "WindowKey", "X-Window-Key"),
        (OPS, "OpsKey", "X-Ops-Key"),
    ):
        declared = schema.raw_schema["components"]["securitySchemes"][name]
        assert ("apiKey", "header", header) == (declared["type"], declared["in"], declared["name"])


@WINDOW.parametrize()
@SMALL
def test_the_window_api_survives_generated_requests(case: Any) -> None:
    _call_and_check(case)


@OPS.parametrize()
@SMALL
def test_the_ops_api_survives_generated_requests(case: Any) -> None:
    _call_and_check(case)
