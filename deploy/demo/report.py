"""What ``make demo`` prints after the cases ran: each demo's tables, the ops API's view, ``curl``.

``print_report`` is the same for every one-thing: outcomes per state and kind, each step's status
counts with the mean seconds from the case's start to the step's last change, the case durations,
and what the demo's own check found wrong. The rest is printed once per run.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime

import httpx

from deploy.demo.system import ops_base, ops_headers, ops_key_for_display, window_base
from onething.settings import Settings
from services.demo import CaseView, DemoReport

__all__ = ["print_links", "print_ops", "print_report", "seconds"]


def _at(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def seconds(case: CaseView) -> float | None:
    """How long the case took from its receipt to its end, once it has ended."""
    received, ended = _at(case.get("received_at")), _at(case.get("ended_at"))
    if received is None or ended is None:
        return None
    return (ended - received).total_seconds()


def print_report(report: DemoReport) -> None:
    cases, kinds = report.cases, report.kinds
    print("\nOutcomes per state (and what was applied for):")
    for (state, kind), n in sorted(
        Counter((str(c.get("status")), kinds.get(i, "?")) for i, c in cases.items()).items()
    ):
        print(f"  {state:<22} {kind:<16} {n:>5}")
    print(
        "\nPer step (status counts, mean seconds from the case's start to the step's last change):"
    )
    per_step: dict[str, Counter[str]] = {}
    timing: dict[str, list[float]] = {}
    for case in cases.values():
        start = _at(case.get("received_at"))
        if start is None:
            continue  # opened before this run (a case id the population already used)
        for name, step in case.get("steps", {}).items():
            per_step.setdefault(name, Counter())[step.get("status") or "?"] += 1
            if (changed := _at(step.get("updated_at"))) is not None:
                timing.setdefault(name, []).append((changed - start).total_seconds())
    for name in sorted(per_step, key=lambda n: statistics.mean(timing.get(n, [0]))):
        counts = ", ".join(f"{s} {n}" for s, n in per_step[name].most_common())
        print(f"  {name:<28} {statistics.mean(timing.get(name, [0])):6.2f}s  {counts}")
    took = [s for c in cases.values() if (s := seconds(c)) is not None]
    if took:
        print(f"\nCase duration: median {statistics.median(took):.2f}s, max {max(took):.2f}s")
    for problem in report.problems:
        print(f"\nFAILED: {problem}")


def print_ops(settings: Settings, older_than: int = 5) -> None:
    """What an operator would look at next, asked of the ops API on its own port."""
    base, headers = ops_base(settings), ops_headers(settings)
    try:
        attention = httpx.get(
            f"{base}/v1/ops/cases", params={"status": "needs_attention"}, headers=headers
        ).json()
        awaiting = httpx.get(
            f"{base}/v1/ops/cases/awaiting-reply",
            params={"older_than_seconds": older_than},
            headers=headers,
        ).json()
    except (httpx.HTTPError, ValueError) as exc:
        print(f"\nThe ops API at {base} did not answer ({exc}); see .stack/workers/ops.log")
        return
    print(f"\nOps API at {base} (every request, its /docs included, with X-Ops-Key):")
    print(f"  cases needing attention: {attention['total']}")
    print(f"  steps awaiting a department's reply for over {older_than}s: {awaiting['total']}")
    for step in awaiting["steps"][:5]:
        print(
            f"    {step['case_id']} {step['step']:<24} {step['department'] or '?':<20}"
            f" {step['seconds']}s"
        )


def print_links(settings: Settings, samples: list[tuple[str, str]]) -> None:
    """``curl`` lines for one case of each demo, as its window and as an operator, and where the
    APIs' documentation is."""
    base, ops, ops_key = window_base(settings), ops_base(settings), ops_key_for_display(settings)
    if samples:
        print("\nLook at one case, as its window and as an operator:")
    for case_id, key in samples:
        print(
            f"  curl -s -H 'X-Window-Key: {key}' {base}/v1/cases/{case_id}?timeline=true\n"
            f"  curl -s -H 'X-Ops-Key: {ops_key}' {ops}/v1/ops/cases/{case_id}"
        )
    print(
        f"Steps awaiting a reply for over a minute:\n"
        f"  curl -s -H 'X-Ops-Key: {ops_key}' '{ops}/v1/ops/cases/awaiting-reply?older_than_seconds=60'"
    )
    print(
        f"API documentation: window {base}/docs; ops {ops}/docs (the browser must send"
        f" X-Ops-Key, e.g. through a header extension)     Stop everything: make down"
    )
