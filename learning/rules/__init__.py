"""Pure routing rules for radicalisation concerns (standard library only, no Django).

Everything that judges a routing decision (quizzes, the concern guide, classroom scenarios, the
``route_concern`` command) calls ``route``. See ``shared/domain/routing-contract.md`` (beside the repository).
"""

from .catalogue import RULES, RULES_BY_ID, RULES_SEMVER, RULES_VERSION, Rule, build_rules_version
from .directory import (
    ContactPoint,
    Directory,
    DirectoryError,
    MunicipalityDirectory,
    Procedure,
    load_default_directory,
)
from .engine import Decision, ResolvedContact, route
from .labels import (
    ACTIONS,
    CONTACT_ACTIONS,
    LEGAL_BASES,
    LEVELS,
    REFERRAL_ACTIONS,
    SIGN_GROUPS,
    SIGNS,
    TIMINGS,
    URGENCIES,
    ActionInfo,
    Label,
    LegalBasis,
    Sign,
)
from .model import INPUT_KEYS, Concern, ConcernInputError, parse_concern

__all__ = [
    "ACTIONS",
    "CONTACT_ACTIONS",
    "INPUT_KEYS",
    "LEGAL_BASES",
    "LEVELS",
    "REFERRAL_ACTIONS",
    "RULES",
    "RULES_BY_ID",
    "RULES_SEMVER",
    "RULES_VERSION",
    "SIGNS",
    "SIGN_GROUPS",
    "TIMINGS",
    "URGENCIES",
    "ActionInfo",
    "Concern",
    "ConcernInputError",
    "ContactPoint",
    "Decision",
    "Directory",
    "DirectoryError",
    "Label",
    "LegalBasis",
    "MunicipalityDirectory",
    "Procedure",
    "ResolvedContact",
    "Rule",
    "Sign",
    "build_rules_version",
    "load_default_directory",
    "parse_concern",
    "route",
]
