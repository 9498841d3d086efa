"""A running local world: a fresh anvil with the world deployed (tests, benchmarks, tools)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from web3 import Web3

from keeper.chain.anvil import Anvil, rpc
from keeper.chain.http import http_web3
from keeper.manifest import Manifest
from keeper.world.config import WorldConfig


@dataclass
class LocalWorld:
    anvil: Anvil
    w3: Web3
    manifest: Manifest
    deployer: str

    def snapshot(self) -> str:
        return str(rpc(self.anvil.http_url, "evm_snapshot"))

    def revert(self, snapshot_id: str) -> None:
        if rpc(self.anvil.http_url, "evm_revert", snapshot_id) is not True:
            raise RuntimeError(f"evm_revert({snapshot_id}) failed")

    @contextmanager
    def reverted(self) -> Iterator[LocalWorld]:
        """The node's state (code, storage, balances, nonces, block and time offset) as it is
        on entry, restored on exit however the block ends."""
        snap = self.snapshot()
        try:
            yield self
        finally:
            self.revert(snap)

    def stop(self) -> None:
        self.anvil.stop()


def start_world(config: WorldConfig | None = None, **anvil_kwargs: object) -> LocalWorld:
    """Start anvil and deploy the world on it; the caller calls `stop()`."""
    from keeper.world.deploy import deploy_world

    anvil = Anvil(**anvil_kwargs).start()  # type: ignore[arg-type]
    try:
        w3 = http_web3(anvil.http_url, timeout=60)
        deployer = w3.eth.accounts[0]
        manifest = deploy_world(w3, deployer, config)
    except BaseException:
        anvil.stop()
        raise
    return LocalWorld(anvil=anvil, w3=w3, manifest=manifest, deployer=deployer)
