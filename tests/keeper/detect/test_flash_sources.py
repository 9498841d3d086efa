"""The cost-aware flash router on the world: each opportunity takes the source with the lowest
fee + gas that can lend the amount, and the flash liquidity the keeper reads is the chain's."""

from __future__ import annotations

from keeper.chain.flash_liquidity import read_flash_liquidity
from keeper.chain.pool_reader import read_pool
from keeper.detect.world import detector_for, tradable_pools
from tests.keeper.chain.swapper import swapper

GAS_PRICE = 10**9


def _detector(w, balancer: dict, aave: dict):
    m = w.manifest
    detector = detector_for(m, balancer_liquidity=balancer, aave_liquidity=aave)
    detector.update_pools(read_pool(w.w3, p) for p in tradable_pools(m))
    return detector


def _found(w, balancer: dict, aave: dict):
    prices = {t.address: t.price_usd for t in w.manifest.tokens}
    return _detector(w, balancer, aave).evaluate(None, 1, GAS_PRICE, prices)


def _sources_by_rule(cfg, o) -> dict[str, int]:
    """Which sources can fund `o`, and their fees, from the rules themselves (not from the
    detector's own list): Balancer and Aave up to their liquidity, the first V2 pair when the
    route starts on V2, the last V2 pair on all-V2 routes, a V3 flash pool outside the route."""
    v2 = [h.kind == "uniswap_v2" for h in o.route]
    out: dict[str, int] = {}
    if cfg.balancer_liquidity.get(o.start_token, 0) >= o.amount_in:
        out["balancer"] = 0
    if v2[0]:
        out["uniswap-v2-flashswap"] = 0
    if all(v2):
        out["uniswap-v2-flashswap-last"] = 0
    flash = cfg.v3_flash_pools.get(o.start_token)
    if flash and flash[0] not in {h.pool for h in o.route}:
        out["uniswap-v3-flash"] = -(-o.amount_in * flash[1] // 1_000_000)
    if cfg.aave_liquidity.get(o.start_token, 0) >= o.amount_in:
        out["aave-v3"] = (o.amount_in * cfg.aave_premium_bps + 5_000) // 10_000
    return out


def test_flash_liquidity__read_from_the_vault_and_the_aave_reserves(fresh_world_state):
    w = fresh_world_state
    balancer, aave = read_flash_liquidity(w.w3, w.manifest)
    erc20 = [{"name": "balanceOf", "type": "function", "stateMutability": "view",
              "inputs": [{"name": "a", "type": "address"}],
              "outputs": [{"name": "", "type": "uint256"}]}]
    weth = w.w3.eth.contract(address=w.manifest.weth, abi=erc20)
    assert balancer[w.manifest.weth] == weth.functions.balanceOf(
        w.manifest.balancer_vault).call() > 0
    # what Aave can lend is what its aToken holds of the asset
    pool = w.w3.eth.contract(address=w.manifest.aave_pool, abi=[{
        "name": "getReserveData", "type": "function", "stateMutability": "view",
        "inputs": [{"name": "asset", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}] * 8 + [{"name": "aToken", "type": "address"}]
        + [{"name": "", "type": "uint256"}] * 6}])
    a_weth = pool.functions.getReserveData(w.manifest.weth).call()[8]
    assert aave[w.manifest.weth] == weth.functions.balanceOf(a_weth).call() > 0
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


def test_router__each_opportunity_takes_the_lowest_fee_plus_gas(fresh_world_state):
    w = fresh_world_state
    swapper(w)("sushiswap", 60 * 10**18)
    balancer, aave = read_flash_liquidity(w.w3, w.manifest)
    detector = _detector(w, balancer, aave)
    prices = {t.address: t.price_usd for t in w.manifest.tokens}
    found = detector.evaluate(None, 1, GAS_PRICE, prices)
    chosen = set()
    for o in found:
        v2_hops = sum(h.kind == "uniswap_v2" for h in o.route)
        costs = {}
        for source, fee in _sources_by_rule(detector.cfg, o).items():
            gas = detector.cfg.gas.route_gas(v2_hops, len(o.route) - v2_hops, o.ticks_crossed,
                                             source)
            costs[source] = fee + detector._gas_in_token(gas * GAS_PRICE, o.start_token, prices)
        assert o.flash_source in costs, (o.flash_source, costs)
        assert o.flash_fee + o.gas_cost == min(costs.values()), (o.flash_source, costs)
        chosen.add(o.flash_source)
    # the choice is not one source everywhere: routes differ in what can fund them cheapest
    assert len(chosen) >= 2, chosen
