"""Exact simulation of a cycle: chained integer swaps on pool states (no chain access)."""

from __future__ import annotations

from dataclasses import dataclass

from keeper.math import v2
from keeper.math.errors import MathError
from keeper.math.v3_swap import TickIndex, swap
from keeper.state.types import PoolState, V2PoolState


@dataclass(frozen=True, slots=True)
class Hop:
    state: PoolState
    zero_for_one: bool
    index: TickIndex | None  # V3 only: initialized ticks, sorted once per state

    @property
    def token_in(self) -> str:
        return self.state.token0 if self.zero_for_one else self.state.token1

    @property
    def token_out(self) -> str:
        return self.state.token1 if self.zero_for_one else self.state.token0

    @property
    def is_v2(self) -> bool:
        return isinstance(self.state, V2PoolState)


def hop_out(hop: Hop, amount_in: int) -> tuple[int, int]:
    """(amount out, initialized ticks crossed); (0, 0) where the contract would revert."""
    s = hop.state
    try:
        if isinstance(s, V2PoolState):
            r_in, r_out = (s.reserve0, s.reserve1) if hop.zero_for_one else (s.reserve1, s.reserve0)
            return v2.get_amount_out(amount_in, r_in, r_out, s.fee), 0
        r = swap(s, hop.zero_for_one, amount_in, 0, hop.index)
    except MathError:
        return 0, 0
    out = -(r.amount1 if hop.zero_for_one else r.amount0)
    consumed = r.amount0 if hop.zero_for_one else r.amount1
    if consumed != amount_in:  # the price limit stopped the swap: the input would not all go in
        return 0, 0
    return out, r.ticks_crossed


def simulate(hops: tuple[Hop, ...], amount_in: int) -> tuple[int, int]:
    """(final output, total ticks crossed) of sending amount_in along the hops."""
    amount, crossed = amount_in, 0
    for hop in hops:
        if amount <= 0:
            return 0, crossed
        amount, c = hop_out(hop, amount)
        crossed += c
    return amount, crossed
