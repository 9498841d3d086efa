"""Property: any `execute` either reverts, or raises the executor's balance of the start token by
at least minProfit and lowers no other balance of the executor (random reserves, routes,
amounts, sources, flash pools and minimum profits, on the real protocols), through execute()
and through the packed executeV2_e0 alike. The executor holds
some of every token first, as a running one holds its profits: an execute that paid a loan or
a fee out of those would show here."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keeper.chain.anvil import wait_receipt
from keeper.chain.pool_reader import read_pools
from keeper.detect.opportunity import Opportunity, RouteHop
from keeper.detect.world import detector_for, tradable_pools
from keeper.math.v2 import get_amount_out
from keeper.onchain.deploy_system import venue_indexes
from keeper.onchain.route import SOURCES, encode_route, execute_v2_calldata, pack_v2_head
from keeper.world.artifacts import npm_artifact, project_artifact


def _token(w3, address: str):
    """mint, transfer and balanceOf: the world's TestERC20 ABI (WETH9 has the last two)."""
    return w3.eth.contract(address=address, abi=project_artifact("TestERC20").abi)


HELD = 10**21  # of every token, in its smallest unit


@pytest.fixture(scope="module")
def funded(system_world):
    """The executor holds HELD of every well-behaved token (before any example's snapshot)."""
    s = system_world
    w3, m = s.world.w3, s.manifest
    s.give_weth(s.executor.address, HELD)
    for t in m.tokens:
        if t.address != m.weth and not t.hostile:
            wait_receipt(w3, _token(w3, t.address).functions.mint(
                s.executor.address, HELD).transact({"from": s.admin}))
    return s


def _push(s, pool, zero_in: bool, fraction_ppm: int) -> None:
    """Swap `fraction_ppm` of the pair's input-side reserve through it, straight at the pair
    (exact output from the V2 formula), moving its price either way."""
    w3, m = s.world.w3, s.manifest
    pair = w3.eth.contract(address=pool.address, abi=npm_artifact("UniswapV2Pair").abi)
    r0, r1, _ = pair.functions.getReserves().call()
    token_in, r_in, r_out = (pool.token0, r0, r1) if zero_in else (pool.token1, r1, r0)
    amount = r_in * fraction_ppm // 10**6
    out = get_amount_out(amount, r_in, r_out, fee=pool.fee)
    if out == 0:
        return
    a = s.stranger
    if token_in == m.weth:
        weth = w3.eth.contract(address=m.weth, abi=npm_artifact("WETH9").abi)
        wait_receipt(w3, weth.functions.deposit().transact({"from": a, "value": amount}))
    else:
        wait_receipt(w3, _token(w3, token_in).functions.mint(
            a, amount).transact({"from": a}))
    wait_receipt(w3, _token(w3, token_in).functions.transfer(
        pool.address, amount).transact({"from": a}))
    wait_receipt(w3, pair.functions.swap(0 if zero_in else out, out if zero_in else 0, a, b"")
                 .transact({"from": a}))


def test_execute__any_inputs__reverts_or_profits_and_never_loses(funded):
    outcomes = {"succeeded": 0, "reverted": 0}
    _random_executes(funded, outcomes)
    # it must have seen successes and reverts alike, or it proved nothing
    assert outcomes["succeeded"] > 0 and outcomes["reverted"] > 0, outcomes


@settings(max_examples=120, deadline=None)
@given(seed=st.integers(0, 2**32 - 1),
       pushes=st.lists(st.tuples(st.booleans(), st.integers(1, 300_000)), max_size=3),
       amount_exp=st.integers(14, 22), source=st.sampled_from([*sorted(SOURCES), "execute-v2"]),
       min_profit=st.integers(0, 10**18), any_flash_pool=st.booleans())
def _random_executes(s, outcomes, seed, pushes, amount_exp, source, min_profit,
                     any_flash_pool):
    """One example: move some pairs, pick a route, execute it, check the balances."""
    w3, m = s.world.w3, s.manifest
    snap = s.world.snapshot()
    try:
        rng = random.Random(seed)
        v2 = [p for p in m.pools if p.kind.value == "uniswap_v2"
              and not (m.token(p.token0).hostile or m.token(p.token1).hostile)]
        for zero_in, fraction_ppm in pushes:  # up to 3 pairs moved, either way, up to 30%
            _push(s, rng.choice(v2), zero_in, fraction_ppm)
        det = detector_for(m)
        det.update_pools(read_pools(w3, tradable_pools(m)))
        index = det.build()
        row = rng.randrange(len(index.cycles))
        amount = rng.randrange(10**amount_exp, 10**(amount_exp + 1))
        if rng.random() < 0.5:  # half the time, a route the detector sized: it may succeed
            found = det.evaluate(None, 0, 0, {})
            if found:
                row, amount = found[0].cycle_id, found[0].amount_in

        hops = det.hops(row)
        route = tuple(RouteHop(h.state.address, "uniswap_v2" if h.is_v2 else "uniswap_v3",
                               h.token_in, h.token_out, h.state.fee) for h in hops)
        opp = Opportunity(row, 0, hops[0].token_in, route, amount, 0, 0, source, 0, 0, 0, 0, None)
        flash_pool = "0x" + "00" * 20
        if any_flash_pool:  # any pool of the world, whatever its kind or tokens, or none
            flash_pool = rng.choice([p.address for p in m.pools] + [s.stranger, flash_pool])
        elif source == "uniswap-v3-flash":
            used = {h.pool for h in route}
            flash_pool = next((p.address for p in m.pools if p.kind.value == "uniswap_v3"
                               and p.address not in used
                               and opp.start_token in (p.token0, p.token1)), flash_pool)
        tokens = [t.address for t in m.tokens if not t.hostile]
        before = {t: _token(w3, t).functions.balanceOf(
            s.executor.address).call() for t in tokens}
        if source == "execute-v2":
            data = execute_v2_calldata(pack_v2_head(amount, min_profit, 2**31 - 1, False),
                                       _v2_path(s, opp, rng))
        else:
            data = bytes.fromhex(s.executor.functions.execute(
                SOURCES[source], flash_pool, amount, min_profit, 2**40, False,
                encode_route(opp, m))._encode_transaction_data()[2:])
        receipt = wait_receipt(w3, w3.eth.send_transaction({
            "from": s.keeper, "to": s.executor.address, "gas": 3_000_000, "data": data}))
        after = {t: _token(w3, t).functions.balanceOf(
            s.executor.address).call() for t in tokens}
        if receipt["status"] == "0x1":
            outcomes["succeeded"] += 1
            assert after[opp.start_token] >= before[opp.start_token] + min_profit
        else:
            outcomes["reverted"] += 1
        assert all(before[t] >= HELD for t in tokens)  # so a loss of any token can show
        assert all(after[t] >= before[t] for t in tokens)
    finally:
        s.world.revert(snap)


def _v2_path(s, opp, rng) -> bytes:
    """executeV2_e0's path for the route: a V2 hop names its DEX's venue, a V3 hop (which the
    table cannot hold) a random index, listed or past the table's end."""
    m = s.manifest
    dex_of = {p.address: m.dex(p.dex) for p in m.pools}
    venues = venue_indexes(s.executor, m)
    path = bytes.fromhex(opp.start_token[2:])
    for i, hop in enumerate(opp.route):
        v2 = hop.kind == "uniswap_v2"
        index = venues[dex_of[hop.pool].factory] if v2 else rng.randrange(3)
        path += bytes([index])
        if i + 1 < len(opp.route):
            path += bytes.fromhex(hop.token_out[2:])
    return path
