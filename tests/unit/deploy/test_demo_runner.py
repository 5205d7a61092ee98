"""``make demo``'s runner: every one-thing's demo runs in turn with the one context and its report
is printed; a one-thing without a demo is listed as such; a failed check fails the run."""

from __future__ import annotations

import pytest

from deploy.demo.one_things import exit_code, run_demos
from services.demo import DemoContext, DemoReport
from services.registry import OneThing
from tests.support.demo_context import FakeFollow, fake_context

SEEN: list[tuple[str, DemoContext]] = []


def _thing(name: str, problems: list[str] | None = None, demo: bool = True) -> OneThing:
    async def run(context: DemoContext) -> DemoReport:
        SEEN.append((name, context))
        case = f"{name.upper()}-1"
        view = {"status": "completed", "steps": {}}
        return DemoReport({case: view}, {case: "plain"}, {case: "key-321302"}, problems or [])

    return OneThing(name=name, title=f"{name}一件事", sagas=tuple, demo=run if demo else None)


@pytest.fixture(autouse=True)
def _fresh() -> None:
    SEEN.clear()


async def test_every_one_thing_with_a_demo_runs_in_turn_with_the_same_context(
    capsys: pytest.CaptureFixture[str],
) -> None:
    printed: list[DemoReport] = []
    context = fake_context(FakeFollow(), printed)
    things = [_thing("first"), _thing("quiet", demo=False), _thing("second")]

    reports = await run_demos(things, context)

    assert [("first", context), ("second", context)] == SEEN
    assert ["first", "second"] == [thing.name for thing, _ in reports]
    assert [report for _, report in reports] == printed
    out = capsys.readouterr().out
    assert "quiet (quiet一件事): no demo yet" in out
    assert out.index("== first") < out.index("quiet (quiet") < out.index("== second")
    assert 0 == exit_code(reports)


async def test_a_demo_whose_check_fails_fails_the_run_after_every_demo_ran() -> None:
    things = [_thing("broken", problems=["1 of 1 cases never showed"]), _thing("fine")]

    reports = await run_demos(things, fake_context())

    assert ["broken", "fine"] == [name for name, _ in SEEN]
    assert 1 == exit_code(reports)


async def test_a_registry_without_demos_lists_each_one_thing_and_passes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    reports = await run_demos([_thing("a", demo=False), _thing("b", demo=False)], fake_context())

    assert [] == reports
    assert 0 == exit_code(reports)
    assert ["a (a一件事): no demo yet", "b (b一件事): no demo yet"] == [
        line for line in capsys.readouterr().out.splitlines() if line
    ]
