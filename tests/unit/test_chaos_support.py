"""The chaos tests' own parts, without a stack: a seed names one plan, ``make test``'s seeds kill a
worker, Redis and Kafka, ``CHAOS_SEEDS`` reads lists and ranges, and each check flags what it is
for and nothing else (a query asked twice, a refusal, a case needing a person are all fine)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contracts.saga import DepartmentCommand, ReplyOutcome
from departments.simulators.journal import JournalEntry, RecordedOutcome
from departments.world import CHINA
from tests.chaos.checks import applied_twice, commands_journalled_twice, unsettled, wrong_ends
from tests.chaos.plan import DEFAULT_SEEDS, KINDS, chosen_seeds, plan_for

AT = datetime(2025, 6, 30, 12, tzinfo=CHINA)


def entry(
    seq: int, department: str, command: str, step: str, attempt: int, outcome: str
) -> JournalEntry:
    return JournalEntry(
        seq=seq,
        handled_at=AT,
        command=DepartmentCommand(
            command_id=f"c:{step}:{attempt}",
            case_id="c",
            saga="afterlife",
            step=step,
            department=department,
            command=command,
            attempt=attempt,
        ),
        outcome=RecordedOutcome(reply="Reply", outcome=ReplyOutcome(outcome)),
    )


def case(status: str) -> dict[str, Any]:
    return {"status": status, "steps": {}, "timeline": []}


def test_a_seed_names_one_plan() -> None:
    assert plan_for(8) == plan_for(8)
    assert plan_for(8) != plan_for(9)
    assert all(
        30 <= plan_for(s).cases <= 45 and 1 <= len(plan_for(s).kills) <= 2 for s in range(50)
    )
    assert {k.kind for s in range(50) for k in plan_for(s).kills} == set(KINDS)


def test_make_tests_seeds_kill_a_worker_redis_and_kafka() -> None:
    first = [plan_for(seed).kills[0].kind for seed in DEFAULT_SEEDS]
    assert first == ["departments", "redis", "kafka"]


def test_chaos_seeds_are_read_as_lists_and_ranges() -> None:
    assert chosen_seeds("4, 7,30-32") == [4, 7, 30, 31, 32]
    assert chosen_seeds("") == chosen_seeds(None) == list(DEFAULT_SEEDS)


def test_a_command_journalled_twice_is_named() -> None:
    hukou = entry(1, "public_security", "CancelHukou", "cancel_hukou", 1, "succeeded")
    journals = {"public_security": [hukou, hukou.model_copy(update={"seq": 2})], "health": []}

    assert commands_journalled_twice(journals) == {"public_security": ["c:cancel_hukou:1"]}


def test_two_successful_attempts_of_a_step_that_changes_records_are_flagged() -> None:
    journals = {
        "public_security": [
            entry(1, "public_security", "CancelHukou", "cancel_hukou", 1, "succeeded"),
            entry(2, "public_security", "CancelHukou", "cancel_hukou", 2, "succeeded"),
            entry(3, "public_security", "VerifyKinship", "verify_kinship", 1, "succeeded"),
            entry(4, "public_security", "VerifyKinship", "verify_kinship", 2, "succeeded"),
        ],
        "social_security": [
            entry(5, "social_security", "StopPension", "stop_pension", 1, "succeeded"),
            entry(6, "social_security", "StopPension", "stop_pension", 2, "refused"),
        ],
    }

    [line] = applied_twice(journals)
    assert line == "public_security c cancel_hukou: ['c:cancel_hukou:1', 'c:cancel_hukou:2']"


def test_a_case_missing_or_still_running_is_unsettled_and_one_needing_a_person_is_not() -> None:
    cases = {"a": case("completed"), "b": case("needs_attention"), "c": case("in_progress")}

    assert unsettled(["a", "b", "c", "d"], cases) == {
        "c": "in_progress",
        "d": "not in the read model",
    }


def test_a_case_that_ended_otherwise_than_its_application_says_is_flagged() -> None:
    cases = {
        "a": case("completed"),
        "b": case("partially_completed"),
        "c": case("needs_attention"),
        "d": case("in_progress"),  # reported as unsettled, not here
    }
    kinds = {"a": "certified", "b": "certified", "c": "no death record", "d": "certified"}

    [line] = wrong_ends(kinds, cases)
    assert line.startswith("b (certified) ended partially_completed, not completed")
