"""The keeper's pool states against the pools' own views, read here with the protocols' ABIs.

The keeper's consistency check compares through its own reader and its own `_differs`: a bug
shared by both (a V3 field never compared, say) would pass it. This reads each followed pool
directly at the keeper's head: reserves; sqrt price, tick and liquidity; and the liquidityNet
of every tick the keeper holds (a tick it never learned of is not looked for)."""

from __future__ import annotations

from typing import Any

from keeper.state.types import V2PoolState
from keeper.world.artifacts import npm_artifact


def assert_states_equal_chain(w3: Any, keeper: Any) -> int:
    """Every state the keeper holds equals its pool's own view at the keeper's head; returns
    how many pools were compared (so a caller can insist on some)."""
    head = keeper.store.head
    compared = 0
    for address, held in keeper.store.states.items():
        at = {"block_identifier": head}
        if isinstance(held, V2PoolState):
            pair = w3.eth.contract(address=address, abi=npm_artifact("UniswapV2Pair").abi)
            r0, r1, _ = pair.functions.getReserves().call(**at)
            assert (held.reserve0, held.reserve1) == (r0, r1), address
        else:
            pool = w3.eth.contract(address=address, abi=npm_artifact("UniswapV3Pool").abi).functions
            sqrt_price, tick = pool.slot0().call(**at)[:2]
            assert (held.sqrt_price_x96, held.tick, held.liquidity) == (
                sqrt_price, tick, pool.liquidity().call(**at)), address
            for t, net in held.ticks.items():
                assert pool.ticks(t).call(**at)[1] == net, (address, t)
        compared += 1
    return compared
