"""The keeper's view for the dashboard: after every block it publishes status and prices that
match the chain, its opportunities, and it follows the dashboard's pause/resume."""

from __future__ import annotations

import time

from keeper.manifest import DexKind
from keeper.world.artifacts import npm_artifact
from tests.keeper.chain.chain_truth import assert_states_equal_chain
from tests.keeper.chain.swapper import swapper
from tests.keeper.chain.swapper import swapper as _swapper


def _last(running, stream: str) -> dict:
    return next(p for s, p in reversed(running.published) if s == stream)


def test_keeper__block__publishes_status_and_prices_equal_to_chain(keeper_world):
    world, _, running = keeper_world
    swap = _swapper(world)
    swap("uniswap-v2", 40 * 10**18)  # WETH -> USDC on one DEX only: a cross-DEX spread
    head = world.w3.eth.block_number
    running.wait_for_head(head)

    status = _last(running, "status")
    assert status["head"] == head
    assert status["chain_id"] == world.w3.eth.chain_id
    assert status["keeper"]["pools"] == len(running.keeper.store.states) > 0
    assert status["keeper"]["paused"] is False

    prices = _last(running, "prices")
    by_address = {p["address"]: p for p in prices["pools"]}
    m = world.manifest
    weth, usdc = m.token("WETH"), m.token("USDC")
    v2 = next(p for p in m.pools if p.dex == "uniswap-v2" and {p.token0, p.token1}
              == {weth.address, usdc.address})
    pair = world.w3.eth.contract(address=v2.address, abi=[{
        "name": "getReserves", "type": "function", "stateMutability": "view", "inputs": [],
        "outputs": [{"type": "uint112"}, {"type": "uint112"}, {"type": "uint32"}]}])
    r0, r1, _ = pair.functions.getReserves().call()
    row = by_address[v2.address]
    assert (row["reserve0"], row["reserve1"]) == (str(r0), str(r1))
    d0, d1 = (m.token(v2.token0).decimals, m.token(v2.token1).decimals)
    assert abs(row["price"] - r1 / r0 * 10 ** (d0 - d1)) <= 1e-9 * row["price"]
    assert {row["token0"], row["token1"]} == {"WETH", "USDC"}
    # every V3 pool the keeper follows is published, with the tick and liquidity the pool
    # itself reports at that head (read here, not through the keeper's reader)
    followed = {p.address for p in running.keeper.pools}
    v3 = {p.address for p in m.pools if p.kind is DexKind.UNISWAP_V3} & followed
    assert v3 and v3 <= by_address.keys()
    for a in v3:
        pool = world.w3.eth.contract(address=a, abi=npm_artifact("UniswapV3Pool").abi)
        tick = pool.functions.slot0().call(block_identifier=head)[1]
        liquidity = pool.functions.liquidity().call(block_identifier=head)
        row = by_address[a]
        assert (row["tick"], row["liquidity"]) == (tick, str(liquidity)), a
        assert row["price"] > 0


def test_keeper__control_stream__pauses_and_resumes(keeper_world):
    world, _, running = keeper_world
    running.bus.publish("control", {"controls": {"paused": True}, "by": "trader"})
    assert running.keeper.paused is True
    swap = _swapper(world)
    swap("sushiswap", 10**18)
    running.wait_for_head(world.w3.eth.block_number)
    assert _last(running, "status")["keeper"]["paused"] is True
    running.bus.publish("control", {"controls": {"paused": False}, "by": "trader"})
    assert running.keeper.paused is False


def test_keeper__price_moving_swap__publishes_opportunities(keeper_world):
    world, _, running = keeper_world
    swap = _swapper(world)
    swap("uniswap-v2", 300 * 10**18)  # a large move: a cross-DEX cycle pays for its gas
    running.wait_for_head(world.w3.eth.block_number)
    items = _last(running, "opportunities")["items"]
    assert items, "a 300 WETH swap on one DEX leaves an arbitrage"
    best = items[0]
    assert int(best["expected_out"]) > int(best["amount_in"]) and int(best["profit"]) > 0
    assert best["path"].startswith(best["start_symbol"]) and best["path"].count("→") >= 1
    assert best["block"] == world.w3.eth.block_number and best["decision"] == "detected"


def test_keeper__check_command__checks_the_chain_after_the_next_block(keeper_world):
    world, _, running = keeper_world
    k = running.keeper
    swap = swapper(world)  # its approvals mine blocks of their own: before the request
    running.wait_for_head(world.w3.eth.block_number)
    # drift the keeper's copy of a V2 pool and of a V3 pool behind the chain's back (the V3
    # one away from WETH/USDC, whose swap below would overwrite its state from the event)
    m = world.manifest
    weth_usdc = {m.weth, m.token("USDC").address}
    v2 = next(p for p in k.pools if p.kind is DexKind.UNISWAP_V2)
    v3 = next(p for p in k.pools if p.kind is DexKind.UNISWAP_V3
              and {p.token0, p.token1} != weth_usdc)
    for pool, field in ((v2, "reserve0"), (v3, "liquidity")):
        held = k.store.states[pool.address]
        k.store.replace_state(type(held)(**{**{f: getattr(held, f) for f in held.__slots__},
                                            field: getattr(held, field) + 1}))
    running.bus.publish("control", {"command": "check", "by": "trader"})
    assert k.check_requested
    swap("uniswap-v3", 10**18)
    running.wait_for_head(world.w3.eth.block_number)
    deadline = time.monotonic() + 10  # the check and its status follow the block's own
    while time.monotonic() < deadline:
        check = _last(running, "status")["keeper"]["last_check"]
        if check is not None:
            break
        time.sleep(0.05)
    assert check["block"] == world.w3.eth.block_number and check["repaired"] == 2
    assert check["checked"] == len(k.pools) and not k.check_requested
    assert k.check_consistency(repair=False).repaired == []
    assert assert_states_equal_chain(world.w3, k) > 0
