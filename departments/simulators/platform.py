"""The platform's own steps simulated: death confirmation, heir accounts and notices as records.

A death is confirmed once (``already_confirmed`` for a second case), and the confirmation puts
``DeathConfirmed`` in the outbox, keyed by the case; revoking it puts ``DeathConfirmationRevoked``
there, keyed by the revoking case. Heir accounts are held here and departments get an opaque
reference; discarding a case's heir data (the D3 compensation) is keyed by the case. Notices are
only recorded in ``notices``: nothing is delivered. A correction of a next-of-kin notice goes to
the people that notice went to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from contracts.departments import platform as contract
from contracts.departments.platform import (
    CompletionNoticeSent,
    ConfirmDeath,
    CorrectionNoticeSent,
    CorrectNextOfKinNotice,
    DeathConfirmationRevoked,
    DeathConfirmed,
    DiscardHeirData,
    HeirAccountRegistered,
    HeirDataDiscarded,
    NextOfKinNoticeCorrected,
    NextOfKinNotified,
    NotifyNextOfKin,
    RefusalNoticeSent,
    RegisterHeirAccount,
    RevokeDeathConfirmation,
    SendCompletionNotice,
    SendCorrectionNotice,
    SendRefusalNotice,
)
from contracts.saga import DepartmentCommand
from contracts.topics import Topics
from departments.simulators.base import Clock, Handler, Refusal, Simulator
from departments.world import World

__all__ = ["Notice", "PlatformSimulator"]


@dataclass(frozen=True)
class Notice:
    """A notice as recorded: number, kind, the case, how many recipients, the item lines."""

    notice_no: str
    kind: str
    case_id: str
    recipients: int
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class _HeirAccount:
    case_id: str
    deceased_id: str
    heir_id: str
    bank_account: str


class PlatformSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def __init__(self, world: World, clock: Clock | None = None) -> None:
        super().__init__(world, clock)
        self.confirmed: dict[str, str] = {}  # deceased → the case that confirmed the death
        self.heir_accounts: dict[str, _HeirAccount] = {}  # reference → account
        self.notices: list[Notice] = []

    def routes(self) -> Mapping[str, Handler]:
        return {
            "ConfirmDeath": self.confirm_death,
            "RevokeDeathConfirmation": self.revoke_confirmation,
            "RegisterHeirAccount": self.register_heir_account,
            "DiscardHeirData": self.discard_heir_data,
            "SendCompletionNotice": self.send_completion_notice,
            "NotifyNextOfKin": self.notify_next_of_kin,
            "SendRefusalNotice": self.send_refusal_notice,
            "CorrectNextOfKinNotice": self.correct_next_of_kin_notice,
            "SendCorrectionNotice": self.send_correction_notice,
        }

    def confirm_death(self, p: ConfirmDeath, c: DepartmentCommand) -> DeathConfirmed | Refusal:
        if not self.world.death_certified(p.deceased_id):
            return Refusal("death_not_certified")
        if p.deceased_id in self.confirmed:
            return Refusal("already_confirmed")
        self.confirmed[p.deceased_id] = c.case_id
        event = DeathConfirmed(
            case_id=c.case_id,
            deceased_id=p.deceased_id,
            date_of_death=p.date_of_death,
            certificate_no=p.death_certificate_no,
            division_code=p.division_code,
            confirmed_at=self.clock(),
        )
        self.emit(Topics.DEPT_EVENTS, c.case_id, event)
        return event

    def revoke_confirmation(
        self, p: RevokeDeathConfirmation, c: DepartmentCommand
    ) -> DeathConfirmationRevoked | Refusal:
        if self.confirmed.pop(p.deceased_id, None) is None:
            return Refusal("not_confirmed")
        event = DeathConfirmationRevoked(
            case_id=c.case_id, deceased_id=p.deceased_id, reason=p.reason, revoked_at=self.clock()
        )
        self.emit(Topics.DEPT_EVENTS, c.case_id, event)
        return event

    def register_heir_account(
        self, p: RegisterHeirAccount, c: DepartmentCommand
    ) -> HeirAccountRegistered:
        reference = self.serial("HEIR-")
        self.heir_accounts[reference] = _HeirAccount(
            c.case_id, p.deceased_id, p.heir_id, p.bank_account
        )
        return HeirAccountRegistered(heir_account_ref=reference)

    def discard_heir_data(self, _: DiscardHeirData, c: DepartmentCommand) -> HeirDataDiscarded:
        doomed = [ref for ref, a in self.heir_accounts.items() if a.case_id == c.case_id]
        for reference in doomed:
            del self.heir_accounts[reference]
        return HeirDataDiscarded(discarded=len(doomed))

    def _record(
        self, prefix: str, kind: str, case_id: str, recipients: int, items: tuple[str, ...] = ()
    ) -> Notice:
        """Number a notice with ``prefix`` and keep it, as the platform's register would."""
        notice = Notice(self.serial(prefix), kind, case_id, recipients, items)
        self.notices.append(notice)
        return notice

    def send_completion_notice(
        self, p: SendCompletionNotice, c: DepartmentCommand
    ) -> CompletionNoticeSent:
        lines = tuple(f"{i.item}: {i.status}" for i in p.items)
        notice = self._record("TZ", f"completion:{p.saga}", c.case_id, len(p.recipient_ids), lines)
        return CompletionNoticeSent(notice_no=notice.notice_no)

    def notify_next_of_kin(
        self, p: NotifyNextOfKin, c: DepartmentCommand
    ) -> NextOfKinNotified | Refusal:
        kin = self.world.next_of_kin(p.deceased_id) if p.deceased_id in self.world.people else []
        if not kin:
            return Refusal("no_next_of_kin")
        notice = self._record("TZ", "next_of_kin", c.case_id, len(kin))
        return NextOfKinNotified(notice_no=notice.notice_no, notified=len(kin))

    def send_refusal_notice(self, p: SendRefusalNotice, c: DepartmentCommand) -> RefusalNoticeSent:
        lines = tuple(f"{r.item}: {r.reason}" for r in p.reasons)
        notice = self._record(
            "BY", f"{p.decision}:{p.saga}", c.case_id, len(p.recipient_ids), lines
        )
        return RefusalNoticeSent(notice_no=notice.notice_no)

    def correct_next_of_kin_notice(
        self, p: CorrectNextOfKinNotice, c: DepartmentCommand
    ) -> NextOfKinNoticeCorrected | Refusal:
        corrected = next((n for n in self.notices if n.notice_no == p.corrected_notice_no), None)
        if corrected is None or corrected.kind != "next_of_kin":
            return Refusal("notice_not_found")
        lines = tuple(f"{r.item}: {r.reason}" for r in p.reasons)
        notice = self._record(
            "GZ", "correction:next_of_kin", c.case_id, corrected.recipients, lines
        )
        return NextOfKinNoticeCorrected(notice_no=notice.notice_no, notified=notice.recipients)

    def send_correction_notice(
        self, p: SendCorrectionNotice, c: DepartmentCommand
    ) -> CorrectionNoticeSent:
        lines = tuple(f"{i.item}: {i.status}" for i in p.items)
        notice = self._record("GZ", f"correction:{p.saga}", c.case_id, len(p.recipient_ids), lines)
        return CorrectionNoticeSent(notice_no=notice.notice_no)
