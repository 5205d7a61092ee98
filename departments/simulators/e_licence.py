"""The e-licence repository simulated: one licence per certificate, revocable once.

Licence ids imitate the shape of GB/T 36904 (an issuing-body prefix, a licence type code, a
serial) without claiming its real codes. Publishing a certificate again answers with the licence
already there, as a real repository deduplicates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from contracts.departments import e_licence as contract
from contracts.departments.e_licence import (
    ELicencePublished,
    ELicenceRevoked,
    LicenceType,
    PublishELicence,
    RevokeELicence,
)
from contracts.saga import DepartmentCommand
from departments.simulators.base import Clock, Handler, Refusal, Simulator
from departments.world import World

__all__ = ["ELicenceSimulator"]

_TYPE_CODES: dict[str, str] = {
    "marriage_certificate": "JHZ",
    "divorce_certificate": "LHZ",
    "cremation_certificate": "HHZ",
}


@dataclass(slots=True)
class _Licence:
    licence_id: str
    holder_ids: tuple[str, ...]
    revoked: bool = False


class ELicenceSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def __init__(self, world: World, clock: Clock | None = None) -> None:
        super().__init__(world, clock)
        self.licences: dict[tuple[LicenceType, str], _Licence] = {}

    def routes(self) -> Mapping[str, Handler]:
        return {"PublishELicence": self.publish, "RevokeELicence": self.revoke}

    def publish(self, p: PublishELicence, _: DepartmentCommand) -> ELicencePublished | Refusal:
        for rid in p.holder_ids:
            if rid not in self.world.people:
                return Refusal("holder_not_found")
        key = (p.licence_type, p.certificate_no)
        licence = self.licences.get(key)
        if licence is not None:
            return (
                Refusal("already_revoked")
                if licence.revoked
                else ELicencePublished(licence_id=licence.licence_id)
            )
        licence_id = f"1.2.156.3005.2.{_TYPE_CODES[p.licence_type]}.{self.serial('')}"
        self.licences[key] = _Licence(licence_id, tuple(p.holder_ids))
        return ELicencePublished(licence_id=licence_id)

    def revoke(self, p: RevokeELicence, _: DepartmentCommand) -> ELicenceRevoked | Refusal:
        licence = self.licences.get((p.licence_type, p.certificate_no))
        if licence is None:
            return Refusal("licence_not_found")
        if licence.revoked:
            return Refusal("already_revoked")
        licence.revoked = True
        return ELicenceRevoked(licence_id=licence.licence_id)
