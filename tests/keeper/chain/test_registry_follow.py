"""The keeper follows the DexRegistry live: a DEX disabled on chain is out of every route from
the next block, one enabled later is discovered and routed again, without a restart; the
Balancer listing switches the vault's flash loans the same way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from keeper.chain.anvil import wait_receipt
from keeper.onchain.deploy_system import deploy_system
from keeper.onchain.registry import dex_id
from keeper.world.artifacts import project_artifact
from keeper.world.local import LocalWorld, start_world
from tests.keeper.chain.chain_truth import assert_states_equal_chain
from tests.keeper.chain.conftest import RunningKeeper
from tests.keeper.chain.swapper import swapper


@pytest.fixture
def registry_world(tmp_path: Path) -> Iterator[tuple[LocalWorld, RunningKeeper, object]]:
    world = start_world()
    try:
        world.manifest = deploy_system(world.w3, world.manifest, world.deployer)
        registry = world.w3.eth.contract(address=world.manifest.system.dex_registry,
                                         abi=project_artifact("DexRegistry").abi)
        # sushiswap starts disabled: its pools are not even discovered at start
        wait_receipt(world.w3, registry.functions.setEnabled(dex_id("sushiswap"), False)
                     .transact({"from": world.deployer}))
        running = RunningKeeper(world, world.anvil.ws_url, tmp_path / "k.db")
        running.wait_for_head(world.w3.eth.block_number)
        yield world, running, registry
        running.stop()
    finally:
        world.stop()


def _routes_through(running: RunningKeeper, dex: str) -> bool:
    pools = {p.address for p in running.keeper.manifest.pools_of(dex)}
    return any(h.pool in pools for o in running.keeper.last_opportunities for h in o.route)


def _set(world: LocalWorld, running: RunningKeeper, registry, dex: str, on: bool) -> None:
    wait_receipt(world.w3, registry.functions.setEnabled(dex_id(dex), on)
                 .transact({"from": world.deployer}))
    running.wait_for_head(world.w3.eth.block_number)


def test_keeper__registry_switches__routes_follow_without_restart(registry_world):
    world, running, registry = registry_world
    k, m = running.keeper, world.manifest
    sushi = {p.address for p in m.pools_of("sushiswap")}
    assert not sushi & {p.address for p in k.pools}
    swap = swapper(world)

    # enabled on chain: discovered at that block, followed, and routed
    _set(world, running, registry, "sushiswap", True)
    assert sushi <= {p.address for p in k.pools}
    assert m.dex("sushiswap").factory in k.factories
    swap("sushiswap", 150 * 10**18)
    running.wait_for_head(world.w3.eth.block_number)
    assert _routes_through(running, "sushiswap")
    assert k.check_consistency(repair=False).repaired == []
    assert assert_states_equal_chain(world.w3, k) > 0

    # disabled again: still followed (state stays exact), never routed
    _set(world, running, registry, "sushiswap", False)
    assert m.dex("sushiswap").factory not in k.factories
    swap("sushiswap", 150 * 10**18)
    running.wait_for_head(world.w3.eth.block_number)
    assert not _routes_through(running, "sushiswap")
    swap("uniswap-v2", 150 * 10**18)  # a dislocation the enabled DEXes can trade
    running.wait_for_head(world.w3.eth.block_number)
    assert k.last_opportunities and not _routes_through(running, "sushiswap")
    assert k.check_consistency(repair=False).repaired == []
    assert assert_states_equal_chain(world.w3, k) > 0


def test_keeper__balancer_listing_switched__flash_loans_follow(registry_world):
    world, running, registry = registry_world
    k = running.keeper
    lent = dict(k.detector.cfg.balancer_liquidity)  # a copy: the keeper refills its own
    assert lent and all(v > 0 for v in lent.values())  # the vault is funded and listed
    swap = swapper(world)

    _set(world, running, registry, "balancer-v2", False)
    assert k.detector.cfg.balancer_liquidity == {}
    swap("uniswap-v2", 150 * 10**18)
    running.wait_for_head(world.w3.eth.block_number)
    assert k.last_opportunities
    assert all(o.flash_source != "balancer" for o in k.last_opportunities)
    # a consistency check re-reads the liquidity: the switch still holds
    k.check_consistency(repair=False)
    assert k.detector.cfg.balancer_liquidity == {}

    _set(world, running, registry, "balancer-v2", True)
    assert k.detector.cfg.balancer_liquidity == lent
    # the same kind of dislocation again: with the vault allowed, some route borrows there
    swap("uniswap-v2", 150 * 10**18)
    running.wait_for_head(world.w3.eth.block_number)
    assert any(o.flash_source == "balancer" for o in k.last_opportunities)


def test_keeper__registry_unreadable__no_balancer_loans(registry_world, monkeypatch):
    # the keeper's check is the only thing between a disabled listing and a loan: it fails
    # closed when it cannot read the registry
    world, running, _ = registry_world
    k = running.keeper
    assert k.detector.cfg.balancer_liquidity

    def unreadable(*_: object) -> set[str]:
        raise ConnectionError("registry node gone")

    monkeypatch.setattr("keeper.daemon.enabled_factories", unreadable)
    k.refresh_flash_liquidity(world.w3.eth.block_number)
    assert k.detector.cfg.balancer_liquidity == {}
    assert k.detector.cfg.aave_liquidity  # the other source is still read
