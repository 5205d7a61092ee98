"""The disabled persons' federation's contract against its simulator."""

from __future__ import annotations

from contracts.departments.disabled_federation import (
    CancelDisabilityCard,
    QueryDisabilityGrade,
    RestoreDisabilityCard,
)
from departments.simulators.disabled_federation import DisabledFederationSimulator
from departments.world import World
from tests.unit.departments.support import STRANGER_ID, answer, died, retract


def test_a_card_is_cancelled_queried_and_restored(world: World) -> None:
    federation = DisabledFederationSimulator(world)
    deceased = world.find(certified_dead=True, hukou_active=True, has_disability_card=True)
    card = world.disability_cards[deceased.resident_id]

    grade = answer(federation, QueryDisabilityGrade(resident_id=deceased.resident_id))
    cancelled = answer(
        federation,
        CancelDisabilityCard(resident_id=deceased.resident_id, date_of_death=died(deceased)),
    )
    again = answer(
        federation,
        CancelDisabilityCard(resident_id=deceased.resident_id, date_of_death=died(deceased)),
    )
    retract(world, deceased)
    restored = answer(
        federation, RestoreDisabilityCard(resident_id=deceased.resident_id, reason="误报")
    )

    assert {"grade": card.grade, "category": card.category} == grade.data
    assert {"card_no": card.card_no} == cancelled.data == restored.data
    assert "card_already_cancelled" == again.reason_code
    assert card.active


def test_no_card_is_refused(world: World) -> None:
    federation = DisabledFederationSimulator(world)

    assert (
        "no_disability_card"
        == answer(federation, QueryDisabilityGrade(resident_id=STRANGER_ID)).reason_code
    )
