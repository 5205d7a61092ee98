"""The shared notices read their lines from the table: a completion notice says done, skipped,
pending or refused per branch; a refusal notice gives a Chinese reason per refused step and says
whether the application itself was refused; a reversal's notice lists the corrections needed.
Each validates as the platform's command once its values are clear."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from contracts.departments.catalogue import spec_for
from saga.definition import ORIGINAL_CASE_ID, REFUSALS, Context, Step, StepKind, to_json
from saga.notices import (
    completion_notice,
    corrected_anything,
    correction_notice,
    recipient_ids,
    refusal_notice,
)

APPLICANT, RELATIVE = "11010519491231002X", "110105197506010121"
RECEIVED = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def branch(name: str, title: str, **extra: Any) -> Step:
    return Step(name, StepKind.RETRIABLE, "d", "Do", title=title, **extra)


def ctx(data: dict[str, Any], results: dict[str, Any], skipped: frozenset[str]) -> Context:
    return Context("case-1", "321300", data, results, RECEIVED, skipped)


def who(c: Context) -> list[str | None]:
    return [c.data.get("applicant"), c.data.get("relative"), c.data.get("applicant")]


def parsed(command: str, payload: Any) -> dict[str, Any]:
    built = to_json(payload)
    spec_for("platform", command).parse(built)
    return built


def test_a_completion_notice_has_one_line_per_branch_as_it_ended() -> None:
    branches = (
        branch("hukou", "户口注销"),
        branch("waiver", "惠民殡葬减免", when=lambda c: bool(c.data.get("waiver"))),
        branch("pension", "养老金停发"),
        branch("fund", "住房公积金提取"),
        branch("card", "残疾人证注销"),
    )
    build = completion_notice("t", branches, ("hukou", "waiver", "pension", "card"), who)
    case = ctx({"applicant": APPLICANT}, {"hukou": {}}, frozenset({"card"}))

    notice = parsed("SendCompletionNotice", build(case))

    assert {
        "recipient_ids": [APPLICANT],
        "saga": "t",
        "items": [
            {"item": "户口注销", "status": "done"},
            {"item": "惠民殡葬减免", "status": "skipped"},  # not asked for
            {"item": "养老金停发", "status": "refused"},  # awaited, ended without a result
            {"item": "住房公积金提取", "status": "pending"},  # not awaited, no result yet
            {"item": "残疾人证注销", "status": "skipped"},  # nothing to do
        ],
    } == notice


def test_a_refusal_notice_gives_a_chinese_reason_per_refused_step() -> None:
    steps = (branch("accept", "受理"), branch("verify_death", "死亡信息核验"))
    refusals = [
        {"step": "verify_death", "department": "health", "reason_code": "death_record_not_found"},
        {"step": "clerk", "department": "clerk", "reason_code": "x", "reason": "材料不全"},
        {"step": "other", "department": "health", "reason_code": "no_such_code"},
    ]
    build = refusal_notice("t", steps, who, intake="accept")

    notice = parsed(
        "SendRefusalNotice",
        build(ctx({"applicant": APPLICANT, REFUSALS: refusals}, {}, frozenset())),
    )

    assert "not_approved" == notice["decision"]  # accepted, then refused: 不予批准
    assert [
        {"item": "死亡信息核验", "reason": "死亡信息库中查无死亡记录"},
        {"item": "clerk", "reason": "材料不全"},
        {"item": "other", "reason": "不符合办理条件"},
    ] == notice["reasons"]


def test_a_refused_intake_refuses_the_application_itself() -> None:
    refusals = [{"step": "accept", "department": "civil_affairs", "reason_code": "x"}]
    build = refusal_notice("t", (branch("accept", "受理"),), who, intake="accept")

    notice = to_json(build(ctx({"applicant": APPLICANT, REFUSALS: refusals}, {}, frozenset())))

    assert "not_accepted" == notice["decision"]


def test_a_reversals_notice_lists_the_corrections_that_were_needed() -> None:
    rows = (branch("restore", "恢复户口"), branch("resume", "恢复发放养老金"), branch("x", "无"))
    build = correction_notice("t_reversal", rows, who, reason=lambda c: str(c.data["why"]))
    data = {ORIGINAL_CASE_ID: "case-0", "why": "错报", "applicant": APPLICANT, "relative": RELATIVE}
    case = ctx(data, {"restore": {}}, frozenset({"x"}))

    notice = parsed("SendCorrectionNotice", build(case))

    assert {
        "recipient_ids": [APPLICANT, RELATIVE],
        "saga": "t_reversal",
        "original_case_id": "case-0",
        "reason": "错报",
        "items": [
            {"item": "恢复户口", "status": "done"},
            {"item": "恢复发放养老金", "status": "refused"},
        ],
    } == notice
    assert corrected_anything(rows)(case)
    assert not corrected_anything(rows)(ctx(data, {}, frozenset({"restore", "resume", "x"})))


def test_each_recipient_is_named_once_and_at_most_five() -> None:
    ids = [None, "a", "b", "a", "", "c", "d", "e", "f"]

    assert ["a", "b", "c", "d", "e"] == recipient_ids(ids)
