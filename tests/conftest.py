"""Fixtures shared by every test area: a real anvil node with the real-bytecode world on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from web3 import HTTPProvider, Web3

from keeper.chain.anvil import Anvil, rpc
from keeper.manifest import Manifest


@dataclass
class World:
    anvil: Anvil
    w3: Web3
    manifest: Manifest
    deployer: str

    def snapshot(self) -> str:
        return str(rpc(self.anvil.http_url, "evm_snapshot"))

    def revert(self, snapshot_id: str) -> None:
        assert rpc(self.anvil.http_url, "evm_revert", snapshot_id) is True


def start_world(**anvil_kwargs: object) -> World:
    """A fresh anvil with the world deployed; the caller stops `world.anvil`."""
    from keeper.world.deploy import deploy_world

    anvil = Anvil(**anvil_kwargs).start()  # type: ignore[arg-type]
    try:
        w3 = Web3(HTTPProvider(anvil.http_url, request_kwargs={"timeout": 60}))
        deployer = w3.eth.accounts[0]
        manifest = deploy_world(w3, deployer)
    except BaseException:
        anvil.stop()
        raise
    return World(anvil=anvil, w3=w3, manifest=manifest, deployer=deployer)


@pytest.fixture(scope="session")
def world() -> Iterator[World]:
    """One world for the session. Tests that change chain state use `fresh_world_state`."""
    w = start_world()
    try:
        yield w
    finally:
        w.anvil.stop()


@pytest.fixture
def fresh_world_state(world: World) -> Iterator[World]:
    """The session world, rolled back to its state before the test when the test ends."""
    snap = world.snapshot()
    try:
        yield world
    finally:
        world.revert(snap)
