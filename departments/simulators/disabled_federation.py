"""The disabled persons' federation simulated: disability cards cancelled, restored, queried."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from contracts.departments import disabled_federation as contract
from contracts.departments.disabled_federation import (
    CancelDisabilityCard,
    DisabilityCardCancelled,
    DisabilityCardRestored,
    DisabilityCategory,
    DisabilityGradeReported,
    QueryDisabilityGrade,
    RestoreDisabilityCard,
)
from contracts.saga import DepartmentCommand
from departments.simulators.base import Handler, Refusal, Simulator

__all__ = ["DisabledFederationSimulator"]


class DisabledFederationSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def routes(self) -> Mapping[str, Handler]:
        return {
            "CancelDisabilityCard": self.cancel_card,
            "RestoreDisabilityCard": self.restore_card,
            "QueryDisabilityGrade": self.query_grade,
        }

    def cancel_card(
        self, p: CancelDisabilityCard, _: DepartmentCommand
    ) -> DisabilityCardCancelled | Refusal:
        card = self.world.disability_cards.get(p.resident_id)
        if card is None:
            return Refusal("no_disability_card")
        if not card.active:
            return Refusal("card_already_cancelled")
        card.active = False
        return DisabilityCardCancelled(card_no=card.card_no)

    def restore_card(
        self, p: RestoreDisabilityCard, _: DepartmentCommand
    ) -> DisabilityCardRestored | Refusal:
        card = self.world.disability_cards.get(p.resident_id)
        if card is None:
            return Refusal("no_disability_card")
        if card.active:
            return Refusal("card_not_cancelled")
        if self.world.death_certified(p.resident_id):
            return Refusal("death_still_certified")
        card.active = True
        return DisabilityCardRestored(card_no=card.card_no)

    def query_grade(
        self, p: QueryDisabilityGrade, _: DepartmentCommand
    ) -> DisabilityGradeReported | Refusal:
        card = self.world.disability_cards.get(p.resident_id)
        if card is None:
            return Refusal("no_disability_card")
        if not card.active:
            return Refusal("card_already_cancelled")
        # The world stores the category as text; the population only writes contract values.
        category = cast(DisabilityCategory, card.category)
        return DisabilityGradeReported(grade=card.grade, category=category)
