"""Errors raised while deploying the local world."""

from keeper.errors import FlashkeeperError


class WorldDeployError(FlashkeeperError):
    def __init__(self, what: str, reason: str) -> None:
        super().__init__(f"world deployment failed at {what}: {reason}")
        self.what = what
        self.reason = reason
