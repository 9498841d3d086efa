"""Roles, ordered: each one can do everything the ones below it can."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"  # read everything
    TRADER = "trader"  # pause/resume the keeper, risk thresholds, kill switch, proposals
    ADMIN = "admin"  # users and roles, registries, executor pause through guardian keys

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, required: Role) -> bool:
        return self.rank >= required.rank


_RANK = {Role.VIEWER: 0, Role.TRADER: 1, Role.ADMIN: 2}
