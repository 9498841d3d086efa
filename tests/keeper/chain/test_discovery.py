"""Pools created by a registered factory after start-up are discovered from its logs; a pool of
an unknown (non-ERC-20) token is skipped with a warning and the keeper goes on."""

from __future__ import annotations

import logging

from keeper.chain.anvil import wait_receipt
from keeper.world.artifacts import npm_artifact
from tests.keeper.chain.chain_truth import assert_states_equal_chain

ERC20 = [{"name": "transfer", "type": "function", "stateMutability": "nonpayable",
          "inputs": [{"name": "to", "type": "address"}, {"name": "v", "type": "uint256"}],
          "outputs": [{"name": "", "type": "bool"}]}]


def test_keeper__pair_created__tracked_and_state_follows(keeper_world, caplog):
    caplog.set_level(logging.WARNING)
    world, _, running = keeper_world
    w3, m = world.w3, world.manifest
    tx = {"from": world.deployer}
    link, uni = m.token("LINK").address, m.token("UNI").address
    factory = w3.eth.contract(address=m.dex("uniswap-v2").factory,
                              abi=npm_artifact("UniswapV2Factory").abi)
    assert factory.functions.getPair(link, uni).call() == "0x" + "0" * 40
    wait_receipt(w3, factory.functions.createPair(link, uni).transact(tx))
    pair_address = factory.functions.getPair(link, uni).call()
    nowhere = "0x000000000000000000000000000000000000dEaD"  # no code: not an ERC-20
    wait_receipt(w3, factory.functions.createPair(uni, nowhere).transact(tx))
    for token, amount in ((link, 10**21), (uni, 2 * 10**21)):
        erc = w3.eth.contract(address=token, abi=ERC20)
        wait_receipt(w3, erc.functions.transfer(pair_address, amount).transact(tx))
    pair = w3.eth.contract(address=pair_address, abi=npm_artifact("UniswapV2Pair").abi)
    assert wait_receipt(w3, pair.functions.mint(world.deployer).transact(tx))["status"] == "0x1"
    running.wait_for_head(w3.eth.block_number)

    k = running.keeper
    held = k.store.states[pair_address]
    # exactly what was deposited: a mint that failed would leave (0, 0) on both sides
    deposited = (10**21, 2 * 10**21) if link.lower() < uni.lower() else (2 * 10**21, 10**21)
    assert (held.reserve0, held.reserve1) == tuple(pair.functions.getReserves().call()[:2]) \
        == deposited
    assert pair_address in k.detector.position
    assert not any(nowhere.lower() in (p.token0.lower(), p.token1.lower()) for p in k.pools)
    assert any("not a readable ERC-20" in r.getMessage() for r in caplog.records)
    assert k.check_consistency(repair=False).repaired == []
    assert assert_states_equal_chain(w3, k) > 0


def test_keeper__registry__only_enabled_dexes_and_every_factory_pair(tmp_path):
    """Pools come from the DexRegistry's enabled DEXes, enumerated from their factories (a pair
    the manifest never listed is found); a disabled DEX's pools are not tracked."""
    from keeper.config import KeeperSettings
    from keeper.daemon import Keeper
    from keeper.onchain.deploy_system import deploy_system
    from keeper.onchain.registry import dex_id
    from keeper.world.artifacts import project_artifact
    from keeper.world.local import start_world

    world = start_world()
    try:
        w3, tx = world.w3, {"from": world.deployer}
        manifest = deploy_system(w3, world.manifest, world.deployer)
        registry = w3.eth.contract(address=manifest.system.dex_registry,
                                   abi=project_artifact("DexRegistry").abi)
        wait_receipt(w3, registry.functions.setEnabled(dex_id("sushiswap"), False).transact(tx))
        factory = w3.eth.contract(address=manifest.dex("uniswap-v2").factory,
                                  abi=npm_artifact("UniswapV2Factory").abi)
        link, uni = manifest.token("LINK").address, manifest.token("UNI").address
        wait_receipt(w3, factory.functions.createPair(link, uni).transact(tx))
        new_pair = factory.functions.getPair(link, uni).call()

        k = Keeper(KeeperSettings(rpc_url=world.anvil.http_url,
                                  database_url=f"sqlite:///{tmp_path / 'k.db'}"), manifest)
        k.initial_sync()
        tracked = {p.address for p in k.pools}
        assert new_pair in tracked
        assert not tracked & {p.address for p in manifest.pools_of("sushiswap")}
        assert {p.address for p in manifest.pools_of("uniswap-v3")} <= tracked
        hostile = {t.address for t in manifest.tokens if t.hostile}
        assert not any({p.token0, p.token1} & hostile for p in k.pools)
    finally:
        world.stop()
