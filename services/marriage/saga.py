"""结婚一件事 — the marriage step table (M0–M11 in ONE-THINGS.md) and the divorce by agreement
beside it, and nothing else.

Marriage: the couple's form opens the case (M0); public security verifies both identities (M1)
while civil affairs checks that neither has a spouse (M2) and health issues the premarital-check
voucher if asked for (M3, which never blocks: its refusal is reported, not a reason to refuse);
a clerk decides (M4), a refusal with written reasons rolling back M3 and M0; the registration
is the pivot (M5, certificate ``J…``); then every branch at once (M6–M10: the national database,
both hukou, the hukou move and fertility registration if asked for, the e-licence), and the
completion notice once they have settled (M11). A local rule refusing the hukou move fails that
branch only: the case ends partially completed with the reason, and the marriage stands.

Divorce: the joint application opens the case, both identities and the marriage are checked,
then the cooling-off runs (30 calendar days from the day after the application; either party
may withdraw, through the window, and the case ends ``withdrawn``); then both must come back to
the office within the next 30 days, where a clerk confirms it (missing it, the application is
deemed withdrawn: the deadline withdraws the case); the registration is the pivot (``L…``), then
the database upload, both hukou and the e-licence, and the notice.
"""

from __future__ import annotations

from saga.definition import Join, OnRefused, Saga, Step, StepKind
from saga.notices import completion_notice, refusal_notice
from saga.rows import command_row as row
from services.marriage import builders as b
from services.marriage import conditions as c
from services.marriage import policies as p
from services.marriage.notice import DIVORCE, MARRIAGE, recipients
from services.marriage.settings import marriage_settings, period

__all__ = ["divorce_saga", "marriage_saga"]

RO, COMP, PIVOT = StepKind.READ_ONLY, StepKind.COMPENSATABLE, StepKind.PIVOT
RETRY, DECISION, TIMER = StepKind.RETRIABLE, StepKind.DECISION, StepKind.TIMER
ACCEPT = ("accept",)
M5, DIVORCED = ("register_marriage",), ("register_divorce",)


def _notices(saga: str, before: tuple[Step, ...], branches: tuple[Step, ...]) -> tuple[Step, Step]:
    """The completion notice once every branch has settled, and the refusal notice."""
    awaited = tuple(s.name for s in branches)
    lines = completion_notice(saga, branches, awaited, recipients)
    done = row("completion_notice", RETRY, lines, depends_on=awaited, join=Join.SETTLED,
               deadline=p.NEXT_WORKING_DAY, title="办结告知")  # fmt: skip
    refused = row("refusal_notice", RETRY, refusal_notice(saga, before, recipients, "accept"),
                  deadline=p.REFUSAL_DUE, title="不予登记告知")  # fmt: skip
    return done, refused


def marriage_saga() -> Saga:
    """Marriage registration, version 1."""
    # name, kind, builder (its payload model names department and command), undo | depends_on,
    # when, the kind's columns, refusal codes, deadline, title
    before = (
        row("accept", COMP, b.accept_marriage, undo=b.void_marriage, title="受理结婚登记申请"),
        row("verify_identities", RO, b.verify_marriage_identities, depends_on=ACCEPT,
            title="身份核验（在世、身份一致、法定婚龄）"),
        row("check_marital_status", RO, b.check_marital_status, depends_on=ACCEPT,
            title="婚姻状况核查（无配偶）"),
        # Never blocks: the clerk does not wait for it, and its refusal fails only itself.
        row("premarital_voucher", COMP, b.issue_premarital_voucher,
            undo=b.void_premarital_voucher, depends_on=ACCEPT, when=c.wants_premarital_voucher,
            on_refused=OnRefused.FAIL_BRANCH, title="免费婚前医学检查券"),
        Step("clerk_review", DECISION, depends_on=("verify_identities", "check_marital_status"),
             clerk=True, deadline=p.AT_THE_COUNTER, title="结婚登记审查"),
        row("register_marriage", PIVOT, b.register_marriage, depends_on=("clerk_review",),
            title="结婚登记、颁发结婚证"),
    )  # fmt: skip
    branches = (
        row("upload_record", RETRY, b.upload_marriage, depends_on=M5,
            deadline=p.NEXT_WORKING_DAY, title="上传全国婚姻登记信息"),
        row("update_hukou_status", RETRY, b.marriage_hukou_status, depends_on=M5,
            deadline=p.NEXT_WORKING_DAY, title="户籍婚姻状况变更"),
        row("move_hukou", RETRY, b.move_hukou, depends_on=M5, when=c.moves_hukou,
            not_applicable=("already_in_household",), title="夫妻投靠落户"),
        row("register_fertility", RETRY, b.register_fertility, depends_on=M5,
            when=c.wants_fertility_registration, not_applicable=("already_registered",),
            title="生育登记"),
        row("publish_e_licence", RETRY, b.publish_marriage_licence, depends_on=M5,
            deadline=p.NEXT_WORKING_DAY, title="结婚证电子证照"),
    )  # fmt: skip
    # The voucher's line is in the notice too: it is what the couple asked for on the form.
    done, refused = _notices(MARRIAGE, before, (before[3], *branches))
    return Saga(MARRIAGE, 1, (*before, *branches, done), title="结婚登记", on_rejected=(refused,),
                retry_before_pivot=p.CHECK, retry_after_pivot=p.BRANCH)  # fmt: skip


def divorce_saga() -> Saga:
    """Divorce by agreement, version 1; its two periods are the deployment's (the statute's
    unless ``ONETHING_MARRIAGE_COOLING_OFF`` / ``_APPEARANCE`` compress them for the demo)."""
    settings = marriage_settings()
    before = (
        row("accept", COMP, b.accept_divorce, undo=b.void_divorce, title="受理离婚登记申请"),
        row("verify_identities", RO, b.verify_identities, depends_on=ACCEPT, title="身份核验"),
        row("verify_marriage", RO, b.verify_marriage, depends_on=ACCEPT,
            title="婚姻登记信息核验（双方为登记在册的夫妻）"),
        # Either party may withdraw through the window while it runs: the case ends withdrawn.
        Step("cooling_off", TIMER, depends_on=("verify_identities", "verify_marriage"),
             wait=period(settings.cooling_off), title="离婚冷静期"),
        Step("appearance", DECISION, depends_on=("cooling_off",), clerk=True,
             deadline=period(settings.appearance, withdraws=True),
             title="双方亲自到场申请发给离婚证"),
        row("register_divorce", PIVOT, b.register_divorce, depends_on=("appearance",),
            title="离婚登记、颁发离婚证"),
    )  # fmt: skip
    branches = (
        row("upload_record", RETRY, b.upload_divorce, depends_on=DIVORCED,
            deadline=p.NEXT_WORKING_DAY, title="上传全国婚姻登记信息"),
        row("update_hukou_status", RETRY, b.divorce_hukou_status, depends_on=DIVORCED,
            deadline=p.NEXT_WORKING_DAY, title="户籍婚姻状况变更"),
        row("publish_e_licence", RETRY, b.publish_divorce_licence, depends_on=DIVORCED,
            deadline=p.NEXT_WORKING_DAY, title="离婚证电子证照"),
    )  # fmt: skip
    done, refused = _notices(DIVORCE, before, branches)
    return Saga(DIVORCE, 1, (*before, *branches, done), title="协议离婚登记",
                on_rejected=(refused,), retry_before_pivot=p.CHECK,
                retry_after_pivot=p.BRANCH)  # fmt: skip
