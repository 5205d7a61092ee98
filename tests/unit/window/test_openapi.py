"""The OpenAPI document: every route tagged, described, with its error answers and examples, and
every example valid."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from contracts.window import AfterDeathApplication, Supplement, Withdrawal
from services.afterlife.examples import APPLICATION_EXAMPLES
from tests.unit.window.support import Fakes
from window.examples import SUPPLEMENT_EXAMPLES, WITHDRAWAL_EXAMPLES


@pytest.fixture
def spec() -> dict[str, Any]:
    return Fakes().app().openapi()


@pytest.mark.parametrize(
    ("model", "examples"),
    [
        (AfterDeathApplication, APPLICATION_EXAMPLES),
        (Supplement, SUPPLEMENT_EXAMPLES),
        (Withdrawal, WITHDRAWAL_EXAMPLES),
    ],
)
def test_every_example_is_a_valid_request(model: Any, examples: dict[str, Any]) -> None:
    for example in examples.values():
        model.model_validate(example["value"])


def test_every_route_is_tagged_summarised_and_documents_its_errors(spec: dict[str, Any]) -> None:
    expected = {
        ("post", "/v1/afterlife/applications"): {"202", "401", "409", "413", "422", "503"},
        ("get", "/v1/cases/{case_id}"): {"200", "401", "404", "422"},
        ("post", "/v1/cases/{case_id}/supplements"): {
            "202",
            "401",
            "404",
            "409",
            "413",
            "422",
            "503",
        },
        ("post", "/v1/cases/{case_id}/withdrawal"): {
            "202",
            "401",
            "404",
            "409",
            "413",
            "422",
            "503",
        },
    }
    for (method, path), codes in expected.items():
        operation = spec["paths"][path][method]
        assert operation["tags"] and operation["summary"], path
        assert codes == set(operation["responses"]), path
        assert [{"WindowKey": []}] == operation["security"], path


def test_the_application_route_carries_its_examples(spec: dict[str, Any]) -> None:
    body = spec["paths"]["/v1/afterlife/applications"]["post"]["requestBody"]

    examples = body["content"]["application/json"]["examples"]

    assert {"child", "agent", "no_payouts"} == set(examples)
    assert "11010519491231002X" == examples["child"]["value"]["deceased_id"]


def test_the_window_serves_no_ops_route_and_its_document_does_not_name_them(
    spec: dict[str, Any],
) -> None:
    # The ops API has its own server and port: a window's network must not learn it exists.
    text = json.dumps(spec)

    assert [] == [path for path in spec["paths"] if path.startswith("/v1/ops")]
    assert ("/v1/ops", "X-Ops-Key", "OpsKey") == tuple(
        word for word in ("/v1/ops", "X-Ops-Key", "OpsKey") if word not in text
    )
    # A tag for each one-thing with a window form (its title), one for the case routes, one
    # for the clerk tasks.
    assert {"公民身后一件事", "结婚一件事", "帮扶救助一件事", "cases", "clerk tasks"} == {
        t["name"] for t in spec["tags"]
    }


async def test_an_ops_path_on_the_window_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/ops/cases", headers={"X-Ops-Key": "ops-local-key"})

    assert 404 == response.status_code
