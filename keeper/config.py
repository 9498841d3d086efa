"""Keeper-layer settings: environment variables with prefix FLASHKEEPER_, plus an optional TOML
file named by FLASHKEEPER_CONFIG. Secrets (keys, tokens) never live here; they come from the
environment at the point of use or from ape's keystore."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from keeper.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
# what `ape run world` writes and every local process reads unless told otherwise
LOCAL_MANIFEST = ROOT / "deployments" / "local.json"
# the local processes' own files: the database, logs, the market's records
VAR = ROOT / "var"
LOCAL_DATABASE_URL = f"sqlite:///{VAR / 'flashkeeper.db'}"


class KeeperSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLASHKEEPER_", extra="ignore")

    rpc_url: str = "http://127.0.0.1:8545"
    ws_url: str = "ws://127.0.0.1:8545"
    chain_id: int = 31337
    manifest: Path = LOCAL_MANIFEST
    database_url: str = LOCAL_DATABASE_URL
    redis_url: str | None = None  # set to scale out: bus, rate limits, Socket.IO queue
    # local node (demo and tests)
    anvil_port: int = 8545
    block_time: float | None = Field(default=2.0, description="None: auto-mine; 0: manual")
    base_tokens: tuple[str, ...] = ("WETH", "USDC")
    max_hops: int = Field(default=3, ge=2, le=4)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml = os.environ.get("FLASHKEEPER_CONFIG")
        if toml:
            # pydantic-settings skips a missing file: a typo in the path would run on defaults
            if not Path(toml).is_file():
                raise ConfigError(f"FLASHKEEPER_CONFIG names {toml}, which is not a file")
            try:
                sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml))
            except tomllib.TOMLDecodeError as e:
                raise ConfigError(f"FLASHKEEPER_CONFIG {toml} is not valid TOML: {e}") from None
        return tuple(sources)
