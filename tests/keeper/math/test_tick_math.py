"""TickMath and SqrtPriceMath properties (no node needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keeper.math.errors import AmountSpecifiedZero, SqrtPriceOutOfRange, TickOutOfRange
from keeper.math.sqrt_price_math import amount0_delta, amount1_delta
from keeper.math.tick_math import (
    MAX_SQRT_RATIO,
    MAX_TICK,
    MIN_SQRT_RATIO,
    MIN_TICK,
    get_sqrt_ratio_at_tick,
    get_tick_at_sqrt_ratio,
)
from keeper.math.v3_swap import swap
from keeper.state.types import V3PoolState


def test_tick_math__bounds__equal_the_contract_constants():
    assert get_sqrt_ratio_at_tick(MIN_TICK) == MIN_SQRT_RATIO == 4295128739
    assert get_sqrt_ratio_at_tick(MAX_TICK) == MAX_SQRT_RATIO
    assert get_sqrt_ratio_at_tick(0) == 2**96
    with pytest.raises(TickOutOfRange):
        get_sqrt_ratio_at_tick(MAX_TICK + 1)
    with pytest.raises(SqrtPriceOutOfRange):
        get_tick_at_sqrt_ratio(MAX_SQRT_RATIO)


@given(st.integers(MIN_TICK, MAX_TICK - 1))
def test_tick_math__round_trip__greatest_tick_at_or_below(tick: int):
    ratio = get_sqrt_ratio_at_tick(tick)
    assert get_sqrt_ratio_at_tick(tick + 1) > ratio
    assert get_tick_at_sqrt_ratio(ratio) == tick
    assert get_tick_at_sqrt_ratio(get_sqrt_ratio_at_tick(tick + 1) - 1) == tick


@given(st.integers(MIN_TICK, MAX_TICK - 1), st.integers(1, 400), st.integers(1, 2**120))
def test_amount_deltas__round_up__never_below_round_down(tick: int, width: int, liq: int):
    a = get_sqrt_ratio_at_tick(tick)
    b = get_sqrt_ratio_at_tick(min(MAX_TICK, tick + width))
    assert amount0_delta(a, b, liq, True) - amount0_delta(a, b, liq, False) in (0, 1)
    assert amount1_delta(a, b, liq, True) - amount1_delta(a, b, liq, False) in (0, 1)


def _pool(liquidity: int) -> V3PoolState:
    return V3PoolState("0x" + "11" * 20, "0x" + "22" * 20, "0x" + "33" * 20, 3000, 60, 2**96, 0,
                       liquidity, {-600: liquidity // 2, 600: -(liquidity // 2)})


@given(st.integers(1, 10**24), st.booleans())
def test_v3_swap__exact_in__pool_receives_input_and_pays_less_than_spot(amount: int, z: bool):
    r = swap(_pool(10**24), z, amount)
    received, paid = (r.amount0, -r.amount1) if z else (r.amount1, -r.amount0)
    assert received <= amount  # partial fills stop at the price limit
    assert 0 <= paid <= received  # price 1.0 and a fee: never more out than in


def test_v3_swap__zero_amount__raises_as():
    with pytest.raises(AmountSpecifiedZero):
        swap(_pool(10**18), True, 0)
