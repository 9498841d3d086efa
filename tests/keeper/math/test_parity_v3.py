"""V3 math parity: 1,000 random quotes on real Uniswap V3 pools with many initialized ticks,
compared with QuoterV2 (amount and the price after), plus real swaps that move the pools."""

from __future__ import annotations

import math
import random

from web3.exceptions import ContractLogicError

from keeper.chain.anvil import wait_receipt
from keeper.chain.pool_reader import read_v3
from keeper.manifest import DexKind
from keeper.math.tick_math import MAX_TICK, MIN_TICK
from keeper.math.v3_swap import TickIndex, swap
from keeper.world.artifacts import npm_artifact

QUOTES = 1000
POSITIONS_PER_POOL = 12


def _mint_random_positions(w, pool, rng: random.Random) -> None:
    npm = w.w3.eth.contract(address=w.manifest.dex("uniswap-v3").position_manager,
                            abi=npm_artifact("NonfungiblePositionManager").abi)
    state = read_v3(w.w3, pool)
    spacing = pool.tick_spacing
    for _ in range(POSITIONS_PER_POOL):
        lo = state.tick + rng.randint(-400, 300) * spacing
        hi = lo + rng.randint(1, 200) * spacing
        lo, hi = (max(lo // spacing * spacing, (MIN_TICK // spacing + 1) * spacing),
                  min(hi // spacing * spacing, (MAX_TICK // spacing) * spacing))
        if lo >= hi:
            continue
        amount = 10 ** rng.randint(15, 22)
        params = (pool.token0, pool.token1, pool.fee, lo, hi, amount, amount, 0, 0, w.deployer,
                  2**63)
        receipt = wait_receipt(w.w3, npm.functions.mint(params).transact({"from": w.deployer}))
        assert receipt["status"] == "0x1"


def test_v3_parity__1000_random_quotes__equal_quoterv2(fresh_world_state):
    w = fresh_world_state
    w3, m = w.w3, w.manifest
    weth = w3.eth.contract(address=m.weth, abi=npm_artifact("WETH9").abi)
    sender = {"from": w.deployer}
    wait_receipt(w3, weth.functions.deposit().transact({**sender, "value": 200_000 * 10**18}))
    mint_abi = [{"name": "mint", "type": "function", "stateMutability": "nonpayable",
                 "inputs": [{"name": "to", "type": "address"}, {"name": "v", "type": "uint256"}],
                 "outputs": []}]
    for t in m.tokens:
        if t.address != m.weth and not t.hostile:
            erc = w3.eth.contract(address=t.address, abi=mint_abi)
            wait_receipt(w3, erc.functions.mint(w.deployer, 10**30).transact(sender))
    quoter = w3.eth.contract(address=m.dex("uniswap-v3").quoter, abi=npm_artifact("QuoterV2").abi)
    pools = [p for p in m.pools if p.kind is DexKind.UNISWAP_V3]
    rng = random.Random(1123)
    for pool in pools:
        _mint_random_positions(w, pool, rng)
    states = {p.address: read_v3(w3, p) for p in pools}
    assert min(len(s.ticks) for s in states.values()) >= 10
    compared = mismatches = crossing = refused = 0
    for i in range(QUOTES):
        pool = pools[rng.randrange(len(pools))]
        state = states[pool.address]
        zero_for_one = rng.random() < 0.5
        exact_in = rng.random() < 0.6
        token_in, token_out = ((pool.token0, pool.token1) if zero_for_one
                               else (pool.token1, pool.token0))
        scale = 10 ** rng.randint(0, 24)
        amount = max(1, int(scale * math.exp(rng.uniform(0, math.log(10)))))
        if i % 25 == 0:
            amount = rng.choice([1, 2, 10**30])  # dust, and more than all the liquidity
        ours = swap(state, zero_for_one, amount if exact_in else -amount, 0,
                    TickIndex(state.ticks))
        our_in = ours.amount0 if zero_for_one else ours.amount1
        our_out = -(ours.amount1 if zero_for_one else ours.amount0)
        try:
            if exact_in:
                q_amount, q_price, _, _ = quoter.functions.quoteExactInputSingle(
                    (token_in, token_out, amount, pool.fee, 0)).call()
                ok = (q_amount, q_price) == (our_out, ours.sqrt_price_x96)
            else:
                q_amount, q_price, _, _ = quoter.functions.quoteExactOutputSingle(
                    (token_in, token_out, amount, pool.fee, 0)).call()
                ok = (q_amount, q_price) == (our_in, ours.sqrt_price_x96)
        except ContractLogicError:
            # QuoterV2 refuses an exact output the pool cannot fully pay; so must we
            refused += 1
            ok = not exact_in and our_out < amount
        compared += 1
        mismatches += not ok
        crossing += ours.ticks_crossed > 0
        if i % 100 == 99:  # move the pool for real, and continue from the chain's new state
            amount_in = state.liquidity // 10**3 or 1
            router = w3.eth.contract(address=m.dex("uniswap-v3").router,
                                     abi=npm_artifact("SwapRouter").abi)
            erc = w3.eth.contract(address=token_in, abi=npm_artifact("WETH9").abi)
            assert wait_receipt(w3, erc.functions.approve(router.address, 2**256 - 1)
                                .transact({"from": w.deployer}))["status"] == "0x1"
            assert wait_receipt(w3, router.functions.exactInputSingle(
                (token_in, token_out, pool.fee, w.deployer, 2**63, amount_in, 0, 0)
            ).transact({"from": w.deployer}))["status"] == "0x1"
            moved = read_v3(w3, pool)
            assert moved.sqrt_price_x96 != state.sqrt_price_x96  # the swap really moved it
            states[pool.address] = moved
    print(f"v3 parity: {compared} quotes, {mismatches} mismatches, {crossing} crossed ticks, "
          f"{refused} refused by both")
    assert compared == QUOTES
    assert mismatches == 0
    assert crossing >= 100  # the comparison really exercised tick crossings
