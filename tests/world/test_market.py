"""The market simulator is reproducible and actually moves the world."""

from __future__ import annotations

from keeper.market.config import MarketConfig
from keeper.market.simulator import MarketSimulator
from keeper.market.walk import PriceWalk
from keeper.world.local import start_world


def _run(seed: int, steps: int) -> tuple[list[tuple[str, str, str, int]], dict[str, int]]:
    world = start_world()
    try:
        sim = MarketSimulator(world.w3, world.manifest,
                              MarketConfig(seed=seed, swaps_per_block=4, traders=3,
                                           wait_for_inclusion=True))
        sim.setup()
        for _ in range(steps):
            sim.step()
        txs = [(t.sender, t.to, t.data, t.value) for t in sim.sent if t.kind != "setup"]
        receipts = [world.w3.eth.get_transaction_receipt(t.tx_hash)["status"] for t in sim.sent]
        # (block count is not compared: auto-mining anvil may pack two quick txs in one block)
        return txs, {"sent": len(receipts), "failed": receipts.count(0)}
    finally:
        world.stop()


def test_market__same_seed__same_transactions():
    a, stats_a = _run(seed=11, steps=6)
    b, stats_b = _run(seed=11, steps=6)
    c, _ = _run(seed=12, steps=6)
    assert len([t for t in a if t[1]]) > 6
    assert a == b
    assert a != c
    assert stats_a == stats_b
    assert stats_a["failed"] == 0  # every noise trade went through the real routers


def test_price_walk__seeded__reproducible_and_stables_stay_pegged():
    import random

    def walk(seed: int) -> list[dict[str, float]]:
        w = PriceWalk({"WETH": 3000.0, "USDC": 1.0}, random.Random(seed), 50, 2)
        return [w.step() for _ in range(500)]

    one, two = walk(3), walk(3)
    assert one == two
    assert one[-1]["WETH"] != 3000.0
    assert all(abs(p["USDC"] - 1.0) < 0.01 for p in one)


def test_market_meter__records_available_arbitrage_each_block(fresh_world_state):
    from keeper.market.meter import ArbitrageMeter

    w = fresh_world_state
    meter = ArbitrageMeter(w.w3, w.manifest)
    sim = MarketSimulator(w.w3, w.manifest, MarketConfig(seed=3, swaps_per_block=6, traders=2,
                                                          wait_for_inclusion=True))
    sim.setup()
    first = meter.measure(w.w3.eth.block_number)
    for _ in range(4):
        sim.step()
    after = meter.measure(w.w3.eth.block_number)
    assert [r.block for r in meter.records] == [first.block, after.block]
    assert after.block > first.block
    assert first.opportunities > 0 and first.best_profit_usd > 0  # the world is seeded apart
    assert after.disjoint_profit_usd >= after.best_profit_usd > 0
    assert all(">" in hop for hop in after.best_route)


def _run_steps(sim: MarketSimulator, steps: int, **kwargs: float) -> list[int]:
    """sim.run until `steps` steps have been reported; the blocks they were reported at."""
    import threading

    stop, seen = threading.Event(), []

    def on_step(block: int, txs: list) -> None:
        seen.append(block)
        if len(seen) >= steps:
            stop.set()

    runner = threading.Thread(target=sim.run, args=(stop, on_step), kwargs=kwargs, daemon=True)
    runner.start()
    runner.join(timeout=60)
    stop.set()
    assert not runner.is_alive(), f"the market stepped {len(seen)} times in 60 s, not {steps}"
    return seen


def test_market_run__auto_mining_node__steps_on_a_clock(fresh_world_state):
    """ape's local network and a bare anvil mine only with transactions: the market must not
    wait for a block that never comes (`ape run market` on such a node hung)."""
    w = fresh_world_state
    assert w.w3.provider.make_request("anvil_getAutomine", [])["result"] is True
    sim = MarketSimulator(w.w3, w.manifest, MarketConfig(seed=5, traders=2))
    sim.setup()
    start = w.w3.eth.block_number
    blocks = _run_steps(sim, 3, automine_step_s=0.1)
    assert sim.steps == 3
    assert blocks == sorted(blocks) and blocks[0] >= start
    assert w.w3.eth.block_number > start  # its trades mined their own blocks


def test_market_run__interval_mining__one_step_per_block(fresh_world_state):
    w = fresh_world_state
    rpc = w.w3.provider.make_request
    sim = MarketSimulator(w.w3, w.manifest, MarketConfig(seed=5, traders=2))
    sim.setup()
    rpc("evm_setAutomine", [False])
    rpc("evm_setIntervalMining", [1])
    try:
        blocks = _run_steps(sim, 2)
    finally:
        rpc("evm_setIntervalMining", [0])
        rpc("evm_setAutomine", [True])
    assert sim.steps == 2
    assert blocks[1] > blocks[0]  # a step per new block, never two on one


def test_market_setup__restarted__tops_up_only_what_was_spent(fresh_world_state):
    """A market restarted on the same node wraps and mints only the shortfall: it used to wrap
    ~3.3k ETH a trader on every start, and a plain anvil's accounts ran dry on the third."""
    w = fresh_world_state
    cfg = MarketConfig(seed=5, traders=2, wait_for_inclusion=True)
    first = MarketSimulator(w.w3, w.manifest, cfg)
    first.setup()
    funded = {(t, a): first._balance(a, t) for t in first.traders for a in first.tokens}
    assert len(first.sent) > 0 and all(v > 0 for v in funded.values())
    trader = first.traders[0]
    eth = w.w3.eth.get_balance(trader)
    again = MarketSimulator(w.w3, w.manifest, cfg)
    again.setup()
    assert again.sent == []
    assert w.w3.eth.get_balance(trader) == eth
    # what the steps spent is topped up on the next start, back to the funding, and nothing
    # a trader gained is touched
    for _ in range(3):
        first.step()
    after = {(t, a): first._balance(a, t) for t in first.traders for a in first.tokens}
    assert any(after[k] < funded[k] for k in funded)
    third = MarketSimulator(w.w3, w.manifest, cfg)
    third.setup()
    topped = {(t, a): first._balance(a, t) for t in first.traders for a in first.tokens}
    assert topped == {k: max(after[k], funded[k]) for k in funded}
