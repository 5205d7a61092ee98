"""The funeral home's records simulated: one cremation per deceased, on a valid certificate.

The certificate number (``HZ<division><year><serial>``, a synthetic format) is what civil affairs
checks before it waives the basic funeral fees.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import funeral_services as contract
from contracts.departments.funeral_services import CremationRecorded, RecordCremation
from contracts.saga import DepartmentCommand
from departments.simulators.base import Handler, Refusal, Simulator
from departments.world import Cremation

__all__ = ["FuneralServicesSimulator"]


class FuneralServicesSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def routes(self) -> Mapping[str, Handler]:
        return {"RecordCremation": self.record_cremation}

    def record_cremation(
        self, p: RecordCremation, _: DepartmentCommand
    ) -> CremationRecorded | Refusal:
        if p.deceased_id not in self.world.people:
            return Refusal("person_not_found")
        if p.deceased_id in self.world.cremations:
            return Refusal("already_cremated")
        if not self.world.death_certified(p.deceased_id):
            return Refusal("death_not_certified")
        serial = len(self.world.cremations) + 1
        number = f"HZ{p.funeral_home_division}{p.cremated_on.year}{serial:06d}"
        self.world.cremations[p.deceased_id] = Cremation(
            p.deceased_id, number, p.cremated_on, p.funeral_home_division
        )
        return CremationRecorded(cremation_certificate_no=number, cremated_on=p.cremated_on)
