"""Health simulated: death certificates (with their events), the death record, marriage services.

Issuing a certificate records the death in the world and puts ``DeathCertified`` in the outbox;
retracting one as erroneous brings the person back to life in the world and puts
``DeathRetracted`` there. Both are keyed by a pseudonym of the certificate number, so they reach
the same partition in order without the ID number becoming a record key. A voucher is issued once
per case, so a retried command under a new id gets the same voucher.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import health as contract
from contracts.departments.health import (
    DeathCertificateIssued,
    DeathCertificateRetracted,
    DeathCertified,
    DeathRecordVerified,
    DeathRetracted,
    FertilityRegistered,
    IssueDeathCertificate,
    IssuePremaritalCheckVoucher,
    PremaritalCheckVoucherIssued,
    PremaritalCheckVoucherVoided,
    RegisterFertility,
    RetractDeathCertificate,
    VerifyDeathRecord,
    VoidPremaritalCheckVoucher,
)
from contracts.saga import DepartmentCommand
from contracts.topics import Topics
from departments.simulators.base import Clock, Handler, Refusal, Simulator, pseudonym
from departments.world import DeathCertificate, World

__all__ = ["HealthSimulator"]


class HealthSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def __init__(self, world: World, clock: Clock | None = None) -> None:
        super().__init__(world, clock)
        self._vouchers: dict[str, str] = {}  # case id → voucher number
        self._fertility: dict[frozenset[str], str] = {}

    def routes(self) -> Mapping[str, Handler]:
        return {
            "IssueDeathCertificate": self.issue_certificate,
            "RetractDeathCertificate": self.retract_certificate,
            "VerifyDeathRecord": self.verify_death_record,
            "IssuePremaritalCheckVoucher": self.issue_voucher,
            "VoidPremaritalCheckVoucher": self.void_voucher,
            "RegisterFertility": self.register_fertility,
        }

    def issue_certificate(
        self, p: IssueDeathCertificate, _: DepartmentCommand
    ) -> DeathCertificateIssued | Refusal:
        person = self.world.people.get(p.resident_id)
        if person is None:
            return Refusal("person_not_found")
        if self.world.death_certified(p.resident_id):
            return Refusal("already_certified")
        # From 2026-07-01 the certificate number is the deceased's resident ID number.
        number = p.resident_id
        self.world.death_certificates[p.resident_id] = DeathCertificate(
            number, p.resident_id, p.date_of_death, str(p.issuer_credit_code)
        )
        person.date_of_death = p.date_of_death
        event = DeathCertified(
            certificate_no=number,
            deceased_id=p.resident_id,
            date_of_death=p.date_of_death,
            division_code=person.division,
            certified_at=self.clock(),
        )
        self.emit(Topics.DEPT_EVENTS, pseudonym(number), event)
        return DeathCertificateIssued(certificate_no=number)

    def retract_certificate(
        self, p: RetractDeathCertificate, _: DepartmentCommand
    ) -> DeathCertificateRetracted | Refusal:
        certificate = next(
            (
                c
                for c in self.world.death_certificates.values()
                if c.certificate_no == p.certificate_no
            ),
            None,
        )
        if certificate is None:
            return Refusal("certificate_not_found")
        if certificate.retracted:
            return Refusal("already_retracted")
        certificate.retracted = True
        self.world.people[certificate.resident_id].date_of_death = None
        event = DeathRetracted(
            certificate_no=certificate.certificate_no,
            deceased_id=certificate.resident_id,
            reason=p.reason,
            retracted_at=self.clock(),
        )
        self.emit(Topics.DEPT_EVENTS, pseudonym(certificate.certificate_no), event)
        return DeathCertificateRetracted(certificate_no=certificate.certificate_no)

    def verify_death_record(
        self, p: VerifyDeathRecord, _: DepartmentCommand
    ) -> DeathRecordVerified | Refusal:
        certificate = self.world.death_certificates.get(p.deceased_id)
        if certificate is None:
            return Refusal("death_record_not_found")
        if certificate.retracted:
            return Refusal("death_record_retracted")
        if p.date_of_death is not None and p.date_of_death != certificate.date_of_death:
            return Refusal("date_of_death_mismatch")
        return DeathRecordVerified(
            certificate_no=certificate.certificate_no, date_of_death=certificate.date_of_death
        )

    def issue_voucher(
        self, p: IssuePremaritalCheckVoucher, c: DepartmentCommand
    ) -> PremaritalCheckVoucherIssued | Refusal:
        for index, rid in enumerate(p.resident_ids):
            if rid not in self.world.people:
                return Refusal("person_not_found", {"party": index})
        if c.case_id not in self._vouchers:
            self._vouchers[c.case_id] = self.serial("HJ")
        return PremaritalCheckVoucherIssued(voucher_no=self._vouchers[c.case_id])

    def void_voucher(
        self, _: VoidPremaritalCheckVoucher, c: DepartmentCommand
    ) -> PremaritalCheckVoucherVoided:
        return PremaritalCheckVoucherVoided(
            voided=int(self._vouchers.pop(c.case_id, None) is not None)
        )

    def register_fertility(
        self, p: RegisterFertility, _: DepartmentCommand
    ) -> FertilityRegistered | Refusal:
        for index, rid in enumerate(p.resident_ids):
            if rid not in self.world.people:
                return Refusal("person_not_found", {"party": index})
        couple = frozenset(p.resident_ids)
        if couple in self._fertility:
            return Refusal("already_registered")
        self._fertility[couple] = self.serial("SY")
        return FertilityRegistered(registration_no=self._fertility[couple])
