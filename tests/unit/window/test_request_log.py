"""One log line per request, naming window, case, route and status, and never the body."""

from __future__ import annotations

import httpx
from structlog.testing import capture_logs

from services.afterlife.case_ids import afterlife_case_id
from tests.unit.window.support import DECEASED_ID, SUCHENG_KEY, application


async def test_each_request_writes_one_line_without_the_body(client: httpx.AsyncClient) -> None:
    with capture_logs() as lines:
        await client.post("/v1/afterlife/applications", json=application(), headers=SUCHENG_KEY)
        await client.get("/v1/cases/AD-none", headers=SUCHENG_KEY)
        await client.get("/v1/cases/AD-none")

    accepted, not_found, refused = lines
    assert {
        "event": "http.request",
        "method": "POST",
        "route": "/v1/afterlife/applications",
        "status": 202,
        "window_id": "suqian-sucheng-hall",
        "case_id": afterlife_case_id(DECEASED_ID),
    }.items() <= accepted.items()
    assert ("/v1/cases/{case_id}", 404, "AD-none") == (
        not_found["route"],
        not_found["status"],
        not_found["case_id"],
    )
    assert (401, None) == (refused["status"], refused.get("window_id"))
    text = repr(lines)
    assert DECEASED_ID not in text and "张三" not in text and "6222021234567890123" not in text
