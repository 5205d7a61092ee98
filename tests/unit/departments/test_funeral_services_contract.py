"""The funeral home's contract against its simulator."""

from __future__ import annotations

from datetime import date

from contracts.departments.funeral_services import RecordCremation
from departments.simulators.funeral_services import FuneralServicesSimulator
from departments.world import Person, World
from tests.unit.departments.support import answer


def cremation(person: Person) -> RecordCremation:
    return RecordCremation(
        deceased_id=person.resident_id,
        death_certificate_no=person.resident_id,
        cremated_on=date(2025, 6, 28),
        funeral_home_division=person.division,
    )


def test_a_cremation_is_recorded_once(world: World) -> None:
    home = FuneralServicesSimulator(world)
    deceased = world.find(certified_dead=True, cremated=False)

    recorded = answer(home, cremation(deceased))
    again = answer(home, cremation(deceased))

    number = recorded.data["cremation_certificate_no"]
    assert number == world.cremations[deceased.resident_id].certificate_no
    assert "already_cremated" == again.reason_code


def test_a_cremation_needs_a_death_certificate(world: World) -> None:
    home = FuneralServicesSimulator(world)

    assert (
        "death_not_certified"
        == answer(home, cremation(world.find(uncertified_dead=True))).reason_code
    )
