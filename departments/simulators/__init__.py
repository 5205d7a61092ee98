"""One simulator per department, all over one shared ``World``; ``build_simulators`` makes them.

Each simulator is a ``DepartmentAdapter``: swap it for a real integration (``departments.http``)
department by department, and the saga does not notice.
"""

from __future__ import annotations

from contracts.departments import Department
from departments.simulators.banks import BanksSimulator
from departments.simulators.base import Clock, Simulator
from departments.simulators.civil_affairs import CivilAffairsSimulator
from departments.simulators.disabled_federation import DisabledFederationSimulator
from departments.simulators.e_licence import ELicenceSimulator
from departments.simulators.funeral_services import FuneralServicesSimulator
from departments.simulators.health import HealthSimulator
from departments.simulators.housing_fund import HousingFundSimulator
from departments.simulators.market_regulation import MarketRegulationSimulator
from departments.simulators.medical_insurance import MedicalInsuranceSimulator
from departments.simulators.platform import PlatformSimulator
from departments.simulators.public_security import PublicSecuritySimulator
from departments.simulators.real_estate import RealEstateSimulator
from departments.simulators.social_security import SocialSecuritySimulator
from departments.simulators.tax import TaxSimulator
from departments.world import World

__all__ = ["SIMULATORS", "build_simulators"]

SIMULATORS: dict[Department, type[Simulator]] = {
    Department.PUBLIC_SECURITY: PublicSecuritySimulator,
    Department.CIVIL_AFFAIRS: CivilAffairsSimulator,
    Department.FUNERAL_SERVICES: FuneralServicesSimulator,
    Department.SOCIAL_SECURITY: SocialSecuritySimulator,
    Department.MEDICAL_INSURANCE: MedicalInsuranceSimulator,
    Department.HEALTH: HealthSimulator,
    Department.HOUSING_FUND: HousingFundSimulator,
    Department.DISABLED_FEDERATION: DisabledFederationSimulator,
    Department.E_LICENCE: ELicenceSimulator,
    Department.TAX: TaxSimulator,
    Department.REAL_ESTATE: RealEstateSimulator,
    Department.MARKET_REGULATION: MarketRegulationSimulator,
    Department.BANKS: BanksSimulator,
    Department.PLATFORM: PlatformSimulator,
}


def build_simulators(world: World, clock: Clock | None = None) -> dict[Department, Simulator]:
    """Every department's simulator over the same world and clock."""
    return {department: cls(world, clock) for department, cls in SIMULATORS.items()}
