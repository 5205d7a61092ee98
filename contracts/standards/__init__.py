"""Local assistance standards as data: versioned files keyed by division code and effective date.

The figures the assistance one-thing assesses a household against (dibao 低保, tekun 特困, the
low-income line 低保边缘, rigid spending 刚性支出, the two disability subsidies 两项补贴, the tekun
care tiers, the temporary-aid caps) and the periods its deadlines count (the decision, the public
notice, the emergency proof, the refusal notice) are published by each division and revised over
time. They live in ``data/<division>.toml`` — not in code — so a division's new standard is a new
dated entry, and each figure carries the source it came from. Civil affairs' simulator and the
population seeding read the same files, so the figures the saga assesses with are the figures the
department enrols with.
"""

from contracts.standards.files import DeadlineName, DivisionFile, SpendingKind
from contracts.standards.lookup import (
    DATA_DIR,
    AssetLimits,
    CareTiers,
    Figure,
    LocalFigures,
    LocalPeriod,
    NoLocalStandard,
    RigidSpending,
    Standards,
    StandardsFileError,
    default_standards,
    load_standards,
)

__all__ = [
    "DATA_DIR",
    "AssetLimits",
    "CareTiers",
    "DeadlineName",
    "DivisionFile",
    "Figure",
    "LocalFigures",
    "LocalPeriod",
    "NoLocalStandard",
    "RigidSpending",
    "SpendingKind",
    "Standards",
    "StandardsFileError",
    "default_standards",
    "load_standards",
]
