"""Property: any `execute` either reverts, or raises the executor's balance of the start token by
at least minProfit and lowers no other balance of the executor (random reserves, routes,
amounts, sources, flash pools and minimum profits, on the real protocols), through execute()
and through the packed executeV2_e0 alike. The executor holds
some of every token first, as a running one holds its profits: an execute that paid a loan or
a fee out of those would show here.

Routes are not only the detector's cycles, encoded right: one example in two corrupts its
route the way a buggy or compromised keeper could (a fee field that disagrees with the
listing, another DEX's factory or init-code hash, any token of the world, hostile ones
included, as a hop's output or the start, a hop dropped or repeated, the oracle check
switched on). A fee-field bug that made the executor pay a V3 pool out of its own holdings
shipped once while this test drew only well-formed routes."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from web3 import Web3

from keeper.chain.anvil import wait_receipt
from keeper.chain.pool_reader import read_pools
from keeper.detect.opportunity import Opportunity, RouteHop
from keeper.detect.world import detector_for, tradable_pools
from keeper.math.v2 import get_amount_out
from keeper.onchain.deploy_system import venue_indexes
from keeper.onchain.route import (
    CHECK_DEVIATION,
    SOURCES,
    encode_route,
    execute_v2_calldata,
    pack_v2_head,
)
from keeper.world.artifacts import npm_artifact, project_artifact


def _token(w3, address: str):
    """mint, transfer and balanceOf: the world's TestERC20 ABI (WETH9 has the last two)."""
    return w3.eth.contract(address=address, abi=project_artifact("TestERC20").abi)


HELD = 10**21  # of every token, in its smallest unit
# what a corrupted route may get wrong (see the module's docstring); "none" keeps it well formed
MUTATIONS = ("none", "fee", "hash", "factory", "dex", "token", "start", "drop", "repeat",
             "check")
# execute()'s hop: factory (20) | init-code hash (32) | tokenOut (20) | fee (3), after the
# start token (20); executeV2_e0's: venue (1) | tokenOut (20), the last hop without its token
HOP, V2_HOP, START = 75, 21, 20


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


@pytest.mark.parametrize("mutation", MUTATIONS[1:])
def test_execute__corrupted_route__reverts_or_profits_and_never_loses(funded, mutation):
    """Every kind of corruption, on examples of its own: hypothesis draws the simplest value
    far more often than the rest and left two kinds untried in 200 examples. Seeded, so a
    failure replays."""
    outcomes = {"succeeded": 0, "reverted": 0}
    sources = [*sorted(SOURCES), "execute-v2"]
    for i in range(2 * len(sources)):
        rng = random.Random(f"{mutation}/{i}")
        pushes = [(rng.random() < 0.5, rng.randint(1, 300_000)) for _ in range(rng.randint(0, 3))]
        _one_example(funded, outcomes, rng.getrandbits(32), pushes, rng.randint(14, 22),
                     sources[i % len(sources)], rng.choice([0, rng.randint(0, 10**18)]),
                     rng.random() < 0.3, mutation)
    assert outcomes["reverted"] > 0, outcomes


@settings(max_examples=120, deadline=None)
@given(seed=st.integers(0, 2**32 - 1),
       pushes=st.lists(st.tuples(st.booleans(), st.integers(1, 300_000)), max_size=3),
       amount_exp=st.integers(14, 22), source=st.sampled_from([*sorted(SOURCES), "execute-v2"]),
       min_profit=st.integers(0, 10**18), any_flash_pool=st.booleans())
def _random_executes(s, outcomes, seed, pushes, amount_exp, source, min_profit, any_flash_pool):
    """One example, well formed or corrupted (one in two, by the seed)."""
    # a stream of its own: Random(seed)'s first draw also picks the route, which tied each
    # mutation kind to a band of routes
    mutation = random.Random(f"mutation/{seed}").choice(
        ("none",) * (len(MUTATIONS) - 1) + MUTATIONS[1:])
    _one_example(s, outcomes, seed, pushes, amount_exp, source, min_profit, any_flash_pool,
                 mutation)


def _one_example(s, outcomes, seed, pushes, amount_exp, source, min_profit, any_flash_pool,
                 mutation):
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
        if source == "execute-v2":
            route = _mutate_v2(_v2_path(s, opp, rng), mutation, m, rng)
            data = execute_v2_calldata(pack_v2_head(amount, min_profit, 2**31 - 1, False), route)
        else:
            route, code = _mutate(encode_route(opp, m), mutation, m, rng), SOURCES[source]
            if mutation == "check":
                code |= CHECK_DEVIATION
            data = bytes.fromhex(s.executor.functions.execute(
                code, flash_pool, amount, min_profit, 2**40, False,
                route)._encode_transaction_data()[2:])
        start = Web3.to_checksum_address(route[:20])  # the route's, corrupted or not
        held = [t.address for t in m.tokens if not t.hostile]
        tokens = [t.address for t in m.tokens]  # a hostile start token's balance counts too
        before = {t: _token(w3, t).functions.balanceOf(s.executor.address).call()
                  for t in tokens}
        receipt = wait_receipt(w3, w3.eth.send_transaction({
            "from": s.keeper, "to": s.executor.address, "gas": 3_000_000, "data": data}))
        after = {t: _token(w3, t).functions.balanceOf(
            s.executor.address).call() for t in tokens}
        if receipt["status"] == "0x1":
            outcomes["succeeded"] += 1
            assert after[start] >= before[start] + min_profit, (mutation, source)
        else:
            outcomes["reverted"] += 1
        assert all(before[t] >= HELD for t in held)  # so a loss of any token can show
        assert all(after[t] >= before[t] for t in tokens), (mutation, source)
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


def _any_token(m, rng) -> bytes:
    """Any token of the world, hostile ones included."""
    return bytes.fromhex(rng.choice(m.tokens).address[2:])


def _mutate(route: bytes, mutation: str, m, rng) -> bytes:
    """execute()'s route with one thing wrong (MUTATIONS); "check" leaves it alone (the source
    carries that one)."""
    hops = [bytearray(route[i:i + HOP]) for i in range(START, len(route), HOP)]
    start, i = bytearray(route[:START]), rng.randrange(len(hops))
    dex = rng.choice(m.dexes)
    if mutation == "fee":
        fee = rng.choice([0, 100, 500, 3000, 10000, rng.randrange(2**24)])
        hops[i][72:75] = fee.to_bytes(3, "big")
    elif mutation == "hash":
        other = rng.choice([d.init_code_hash for d in m.dexes if d.init_code_hash]
                           + ["0x" + rng.randbytes(32).hex()])
        hops[i][20:52] = bytes.fromhex(other[2:])
    elif mutation == "factory":
        hops[i][0:20] = bytes.fromhex(dex.factory[2:])
    elif mutation == "dex":  # another DEX whole, a real pool of its own if it has one
        hops[i][0:20] = bytes.fromhex(dex.factory[2:])
        hops[i][20:52] = bytes.fromhex((dex.init_code_hash or "0x" + "00" * 32)[2:])
    elif mutation == "token":
        hops[i][52:72] = _any_token(m, rng)
    elif mutation == "start":
        start = bytearray(_any_token(m, rng))
    elif mutation == "drop" and len(hops) > 2:
        del hops[i]
    elif mutation == "drop":  # a 2-hop cycle loses its last byte instead: a torn route
        return route[:-1]
    elif mutation == "repeat":
        hops.insert(i, bytearray(hops[i]))
    return bytes(start) + b"".join(hops)


def _mutate_v2(path: bytes, mutation: str, m, rng) -> bytes:
    """executeV2_e0's path with one thing wrong; the kinds it has no field for (fee, hash,
    check) become a random venue index, listed or not."""
    start, body = bytearray(path[:START]), bytearray(path[START:])
    hops = [body[j:j + V2_HOP] for j in range(0, len(body), V2_HOP)]  # the last one is 1 byte
    i = rng.randrange(len(hops))
    if mutation in ("fee", "hash", "check", "factory", "dex"):
        hops[i][0] = rng.randrange(256) if mutation != "dex" else rng.randrange(4)
    elif mutation == "token" and i + 1 < len(hops):
        hops[i][1:21] = _any_token(m, rng)
    elif mutation in ("token", "start"):
        start = bytearray(_any_token(m, rng))
    elif mutation == "drop":
        return path[:-1] if len(hops) == 2 else bytes(start) + b"".join(hops[1:])
    elif mutation == "repeat":
        return bytes(start) + b"".join(hops[:i]) + bytes(hops[i][:1]) + bytes(
            hops[i][1:] or _any_token(m, rng)) + b"".join(hops[i:])
    return bytes(start) + b"".join(hops)
