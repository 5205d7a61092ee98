"""The housing fund's contract against its simulator."""

from __future__ import annotations

from contracts.departments.housing_fund import RecoverHousingFundWithdrawal, WithdrawHousingFund
from departments.simulators.housing_fund import HousingFundSimulator
from departments.world import World
from tests.unit.departments.support import STRANGER_ID, answer


def test_a_relative_withdraws_the_balance_once(world: World) -> None:
    fund = HousingFundSimulator(world)
    deceased = next(
        p
        for p in world.find_all(certified_dead=True, hukou_active=True, has_housing_fund=True)
        if world.next_of_kin(p.resident_id)
    )
    heir = world.next_of_kin(deceased.resident_id)[0]
    balance = world.housing_funds[deceased.resident_id].balance_fen
    withdraw = WithdrawHousingFund(
        deceased_id=deceased.resident_id, heir_id=heir, heir_account_ref="H"
    )

    first = answer(fund, withdraw)
    second = answer(fund, withdraw)
    stranger = answer(fund, withdraw.model_copy(update={"heir_id": STRANGER_ID}))
    recovered = answer(
        fund, RecoverHousingFundWithdrawal(deceased_id=deceased.resident_id, reason="误报")
    )

    assert {"amount_fen": balance} == first.data
    assert "already_withdrawn" == second.reason_code
    assert "heir_not_kin" == stranger.reason_code
    assert {"recovered_fen": balance} == recovered.data


def test_an_empty_balance_is_withdrawn_once_too(world: World) -> None:
    fund = HousingFundSimulator(world)
    deceased = next(
        p
        for p in world.find_all(certified_dead=True, hukou_active=True, has_housing_fund=True)
        if world.next_of_kin(p.resident_id)
    )
    world.housing_funds[deceased.resident_id].balance_fen = 0
    withdraw = WithdrawHousingFund(
        deceased_id=deceased.resident_id,
        heir_id=world.next_of_kin(deceased.resident_id)[0],
        heir_account_ref="H",
    )

    first = answer(fund, withdraw)
    second = answer(fund, withdraw)
    recovered = answer(
        fund, RecoverHousingFundWithdrawal(deceased_id=deceased.resident_id, reason="误报")
    )
    again = answer(
        fund, RecoverHousingFundWithdrawal(deceased_id=deceased.resident_id, reason="误报")
    )

    assert {"amount_fen": 0} == first.data
    assert "already_withdrawn" == second.reason_code
    assert {"recovered_fen": 0} == recovered.data
    assert "nothing_to_recover" == again.reason_code
