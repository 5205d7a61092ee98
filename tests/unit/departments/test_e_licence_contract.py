"""The e-licence bureau's contract against its simulator."""

from __future__ import annotations

from contracts.departments.e_licence import PublishELicence, RevokeELicence
from departments.simulators.e_licence import ELicenceSimulator
from departments.world import World
from tests.unit.departments.support import STRANGER_ID, answer


def publication(world: World, holders: list[str] | None = None) -> PublishELicence:
    marriage = next(iter(world.marriages.values()))
    return PublishELicence(
        licence_type="marriage_certificate",
        certificate_no=marriage.certificate_no,
        holder_ids=holders or list(marriage.party_ids),
    )


def test_a_certificate_is_published_once_whoever_asks_again(world: World) -> None:
    bureau = ELicenceSimulator(world)

    first = answer(bureau, publication(world))
    again = answer(bureau, publication(world))

    assert first.data == again.data
    assert 1 == len(bureau.licences)


def test_a_revoked_licence_is_not_published_again(world: World) -> None:
    bureau = ELicenceSimulator(world)
    published = answer(bureau, publication(world))
    revoke = RevokeELicence(
        licence_type="marriage_certificate",
        certificate_no=publication(world).certificate_no,
        reason="婚姻被宣告无效",
    )

    revoked = answer(bureau, revoke)
    twice = answer(bureau, revoke)
    republished = answer(bureau, publication(world))

    assert published.data == revoked.data
    assert ("already_revoked", "already_revoked") == (twice.reason_code, republished.reason_code)


def test_unknown_holders_and_licences_are_refused(world: World) -> None:
    bureau = ELicenceSimulator(world)
    unknown = RevokeELicence(licence_type="divorce_certificate", certificate_no="L1", reason="x")

    assert "holder_not_found" == answer(bureau, publication(world, [STRANGER_ID])).reason_code
    assert "licence_not_found" == answer(bureau, unknown).reason_code
