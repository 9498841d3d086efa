"""Root of the keeper's exceptions: callers catch FlashkeeperError and get every domain's errors."""


class FlashkeeperError(Exception):
    """Base class for every error the keeper raises on purpose."""


class ConfigError(FlashkeeperError):
    """Settings or a manifest are malformed; the message names the field and the value's problem."""


class NodeError(FlashkeeperError):
    """The node could not be started or reached."""


class ManifestMismatchError(ConfigError):
    """The manifest is well formed but does not describe the node: another chain's, or one
    whose contracts the node does not hold (its world not deployed there yet)."""
