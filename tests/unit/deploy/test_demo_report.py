"""The report every demo's cases are printed with: outcomes per state and kind, each step's status
counts ordered by the mean seconds to its last change, the case durations, and the failures."""

from __future__ import annotations

import pytest

from deploy.demo.report import print_report, seconds
from services.demo import DemoReport


def _case(status: str, ended: str | None, **steps: tuple[str, str]) -> dict[str, object]:
    return {
        "status": status,
        "received_at": "2026-12-04T02:00:00Z",
        "ended_at": ended,
        "steps": {n: {"status": s, "updated_at": at} for n, (s, at) in steps.items()},
    }


REPORT = DemoReport(
    cases={
        "AD-1": _case(
            "completed",
            "2026-12-04T02:00:10Z",
            accept=("succeeded", "2026-12-04T02:00:01Z"),
            notice=("succeeded", "2026-12-04T02:00:10Z"),
        ),
        "AD-2": _case(
            "completed",
            "2026-12-04T02:00:20Z",
            accept=("succeeded", "2026-12-04T02:00:03Z"),
            notice=("succeeded", "2026-12-04T02:00:20Z"),
        ),
        "AD-3": _case(
            "rejected", "2026-12-04T02:00:04Z", accept=("compensated", "2026-12-04T02:00:04Z")
        ),
        "AD-4": _case("in_progress", None, accept=("succeeded", "2026-12-04T02:00:02Z")),
    },
    kinds={"AD-1": "certified", "AD-2": "certified", "AD-3": "no record", "AD-4": "proactive"},
)


def test_the_tables_count_outcomes_per_state_and_kind_and_time_each_step(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_report(REPORT)

    lines = capsys.readouterr().out.splitlines()
    outcomes = lines[lines.index("Outcomes per state (and what was applied for):") + 1 :][:3]
    assert [
        ["completed", "certified", "2"],
        ["in_progress", "proactive", "1"],
        ["rejected", "no", "record", "1"],
    ] == [line.split() for line in outcomes]
    steps = [
        line.split(None, 2)
        for line in lines
        if line.startswith("  accept") or line.startswith("  notice")
    ]
    # accept: (1 + 3 + 4 + 2) / 4 = 2.5 s; notice: (10 + 20) / 2 = 15 s, so accept comes first.
    assert [
        ["accept", "2.50s", "succeeded 3, compensated 1"],
        ["notice", "15.00s", "succeeded 2"],
    ] == steps
    assert "Case duration: median 10.00s, max 20.00s" in lines
    assert not any("FAILED" in line for line in lines)


def test_a_failed_check_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    print_report(DemoReport(cases={}, kinds={"AD-9": "certified"}, problems=["AD-9 never showed"]))

    assert "FAILED: AD-9 never showed" in capsys.readouterr().out


def test_a_case_that_has_not_ended_has_no_duration() -> None:
    assert seconds(REPORT.cases["AD-4"]) is None
    assert 10.0 == seconds(REPORT.cases["AD-1"])
