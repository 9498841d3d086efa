"""The cost-aware flash router on the world: each opportunity takes the source with the lowest
fee + gas that can lend the amount, and the flash liquidity the keeper reads is the chain's."""

from __future__ import annotations

from keeper.chain.flash_liquidity import read_flash_liquidity
from keeper.chain.pool_reader import read_pool
from keeper.detect.world import detector_for, tradable_pools
from tests.keeper.chain.swapper import swapper


def _found(w, balancer: dict, aave: dict):
    m = w.manifest
    detector = detector_for(m, balancer_liquidity=balancer, aave_liquidity=aave)
    detector.update_pools(read_pool(w.w3, p) for p in tradable_pools(m))
    return detector.evaluate(None, 1, 10**9, {t.address: t.price_usd for t in m.tokens})


def test_flash_liquidity__read_from_the_vault_and_the_aave_reserves(fresh_world_state):
    w = fresh_world_state
    balancer, aave = read_flash_liquidity(w.w3, w.manifest)
    erc20 = [{"name": "balanceOf", "type": "function", "stateMutability": "view",
              "inputs": [{"name": "a", "type": "address"}],
              "outputs": [{"name": "", "type": "uint256"}]}]
    weth = w.w3.eth.contract(address=w.manifest.weth, abi=erc20)
    assert balancer[w.manifest.weth] == weth.functions.balanceOf(
        w.manifest.balancer_vault).call() > 0
    assert aave[w.manifest.weth] > 0
    assert not set(aave) & {t.address for t in w.manifest.tokens if t.hostile}


def test_router__cheapest_source_that_can_lend(fresh_world_state):
    w = fresh_world_state
    swapper(w)("sushiswap", 60 * 10**18)  # WETH cheap on one pool
    balancer, aave = read_flash_liquidity(w.w3, w.manifest)
    premium = w.manifest.aave_flash_premium_bps
    # every source available: Balancer lends for free and costs less gas than Aave
    assert all(o.flash_source != "aave-v3" for o in _found(w, balancer, aave))
    # no Balancer: routes that start with a V3 hop and have no free V3 flash pool take Aave
    # when its premium plus gas is the cheapest left, and pay exactly its premium
    only_aave = [o for o in _found(w, {}, aave) if o.flash_source == "aave-v3"]
    assert only_aave
    for o in only_aave:
        assert o.flash_fee == (o.amount_in * premium + 5_000) // 10_000
        assert o.amount_in <= aave[o.start_token]
    # Aave cannot lend more than its reserve holds: an empty reserve is never chosen
    assert all(o.flash_source != "aave-v3" for o in _found(w, {}, {}))
