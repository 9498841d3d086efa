"""A price-moving swap in the world plants an arbitrage; the detector finds and sizes it, and
its expected output is what the real pools (pair math, QuoterV2) would pay along the route."""

from __future__ import annotations

from keeper.chain.anvil import wait_receipt
from keeper.chain.pool_reader import read_pool
from keeper.detect.world import detector_for, tradable_pools
from keeper.world.artifacts import npm_artifact


def test_detect__price_moving_swap__finds_and_sizes_the_arbitrage(fresh_world_state):
    w = fresh_world_state
    w3, m = w.w3, w.manifest
    pools = tradable_pools(m)
    prices = {t.address: t.price_usd for t in m.tokens}
    detector = detector_for(m)
    detector.update_pools(read_pool(w3, p) for p in pools)
    before = {o.cycle_id: o.profit for o in detector.evaluate(None, 0, 10**9, prices)}

    weth, usdc = m.token("WETH"), m.token("USDC")
    target = next(p for p in m.pools_of("sushiswap")
                  if {p.token0, p.token1} == {weth.address, usdc.address})
    router = w3.eth.contract(address=m.dex("sushiswap").router,
                             abi=npm_artifact("UniswapV2Router02").abi)
    weth_c = w3.eth.contract(address=weth.address, abi=npm_artifact("WETH9").abi)
    tx = {"from": w.deployer}
    wait_receipt(w3, weth_c.functions.deposit().transact({**tx, "value": 100 * 10**18}))
    wait_receipt(w3, weth_c.functions.approve(router.address, 2**256 - 1).transact(tx))
    wait_receipt(w3, router.functions.swapExactTokensForTokens(
        60 * 10**18, 0, [weth.address, usdc.address], w.deployer, 2**63).transact(tx))

    changed = detector.update_pools([read_pool(w3, target)])
    assert changed == [target.address]
    found = detector.evaluate(changed, 1, 10**9, prices)
    planted = [o for o in found if any(h.pool == target.address for h in o.route)]
    assert planted, "the dislocated pool should close a profitable cycle"
    best = planted[0]
    assert best.profit > 0 and best.profit_usd and best.profit_usd > 50
    assert best.profit > before.get(best.cycle_id, 0)
    # WETH became cheap on the target pool: the best cycle buys WETH there
    hop = next(h for h in best.route if h.pool == target.address)
    assert hop.token_out == weth.address

    # the real contracts agree with the expected output, hop by hop
    quoter = w3.eth.contract(address=m.dex("uniswap-v3").quoter, abi=npm_artifact("QuoterV2").abi)
    amount = best.amount_in
    for h in best.route:
        if h.kind == "uniswap_v2":
            pair_dex = next(p.dex for p in m.pools if p.address == h.pool)
            r = w3.eth.contract(address=m.dex(pair_dex).router,
                                abi=npm_artifact("UniswapV2Router02").abi)
            amount = r.functions.getAmountsOut(amount, [h.token_in, h.token_out]).call()[-1]
        else:
            amount = quoter.functions.quoteExactInputSingle(
                (h.token_in, h.token_out, amount, h.fee, 0)).call()[0]
    assert amount == best.expected_out
