"""``make demo``: every one-thing of the registry through the whole running system, in turn.

With the stack and the workers running (``make workers``: orchestrator and projector, the
department simulators over a seeded population, the window API, the ops API), it waits until they
can take work, then runs each registry one-thing's demo (``OneThing.demo``, kept in its
``services/<thing>/demo.py``) with one ``services.demo.DemoContext`` and prints its report:
outcomes per state and per step, with timings. One-things without a demo are listed as such.
It ends with what the ops API (on its own port, behind ``X-Ops-Key``) says about cases
needing attention and steps awaiting a department's reply, and ``curl`` lines for both APIs, and
exits 1 when a demo's own check failed. Stack and workers keep running afterwards: ``make down``
stops them.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterable

import httpx
from redis.asyncio import Redis

from deploy.demo.follow import WindowFollower
from deploy.demo.report import print_links, print_ops, print_report
from deploy.demo.system import ops_base, ops_headers, wait_until_ready, window_base, windows
from onething.readmodel.queries import ReadModel
from onething.settings import Settings
from services.demo import DemoContext, DemoReport, Population
from services.registry import OneThing, one_things

__all__ = ["exit_code", "main", "run_demos"]


async def run_demos(
    things: Iterable[OneThing], context: DemoContext
) -> list[tuple[OneThing, DemoReport]]:
    """Each one-thing's demo in turn, its report printed as it ends; a one-thing without a demo
    is listed as such. A demo that raises stops the run: that is a fault, not an outcome."""
    reports: list[tuple[OneThing, DemoReport]] = []
    for thing in things:
        if thing.demo is None:
            print(f"\n{thing.name} ({thing.title}): no demo yet")
            continue
        print(f"\n== {thing.name} ({thing.title}) ==")
        report = await thing.demo(context)
        context.print_report(report)
        reports.append((thing, report))
    return reports


def exit_code(reports: Iterable[tuple[OneThing, DemoReport]]) -> int:
    """0 when every demo's own check passed, else 1."""
    return 0 if all(report.ok for _, report in reports) else 1


async def run(cases: int, timeout: float) -> int:
    settings = Settings()
    things = one_things(settings.extra_one_things)
    print("Waiting for the workers to be ready ...")
    wait_until_ready(settings)
    redis = Redis.from_url(settings.redis_url)
    try:
        async with httpx.AsyncClient(base_url=window_base(settings), timeout=10) as client:
            context = DemoContext(
                settings=settings,
                window_base=window_base(settings),
                ops_base=ops_base(settings),
                ops_headers=ops_headers(settings),
                window_keys=windows(settings),
                population=Population(settings.population_seed, settings.population_size),
                follow=WindowFollower(client),
                print_report=print_report,
                known_cases=ReadModel(redis, settings.topic_prefix).ids_of_saga,
                cases=cases,
                timeout=timeout,
            )
            reports = await run_demos(things.values(), context)
    finally:
        await redis.aclose()
    print_ops(settings)
    print_links(settings, [sample for _, r in reports if (sample := r.sample()) is not None])
    return exit_code(reports)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.demo.one_things", description=__doc__)
    parser.add_argument("--cases", type=int, default=200, help="about how many cases per demo")
    parser.add_argument(
        "--timeout", type=float, default=150, help="seconds a demo follows its cases"
    )
    args = parser.parse_args()
    raise SystemExit(asyncio.run(run(args.cases, args.timeout)))


if __name__ == "__main__":
    main()
