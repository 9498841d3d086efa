"""SqrtPriceMath: next prices and token deltas between prices, rounding as the contract does.

The contract computes some products in unchecked 256-bit arithmetic and tests for overflow;
`_wrap` reproduces the wrap so the same branch is taken.
"""

from keeper.math.errors import MathOverflow
from keeper.math.full_math import (
    MAX_UINT160,
    MAX_UINT256,
    Q96,
    div_rounding_up,
    mul_div,
    mul_div_rounding_up,
    to_uint160,
)


def _wrap(x: int) -> int:
    return x & MAX_UINT256


def next_sqrt_price_from_amount0_rounding_up(sqrt_p: int, liquidity: int, amount: int,
                                             add: bool) -> int:
    if amount == 0:
        return sqrt_p
    numerator1 = liquidity << 96
    product = _wrap(amount * sqrt_p)
    if add:
        if product // amount == sqrt_p:
            denominator = _wrap(numerator1 + product)
            if denominator >= numerator1:
                return mul_div_rounding_up(numerator1, sqrt_p, denominator)
        return div_rounding_up(numerator1, numerator1 // sqrt_p + amount)
    if not (product // amount == sqrt_p and numerator1 > product):
        raise MathOverflow("getNextSqrtPriceFromAmount0RoundingUp")
    return to_uint160(mul_div_rounding_up(numerator1, sqrt_p, numerator1 - product))


def next_sqrt_price_from_amount1_rounding_down(sqrt_p: int, liquidity: int, amount: int,
                                               add: bool) -> int:
    if add:
        if amount <= MAX_UINT160:
            quotient = (amount << 96) // liquidity
        else:
            quotient = mul_div(amount, Q96, liquidity)
        return to_uint160(sqrt_p + quotient)
    if amount <= MAX_UINT160:
        quotient = div_rounding_up(amount << 96, liquidity)
    else:
        quotient = mul_div_rounding_up(amount, Q96, liquidity)
    if sqrt_p <= quotient:
        raise MathOverflow("getNextSqrtPriceFromAmount1RoundingDown")
    return sqrt_p - quotient


def next_sqrt_price_from_input(sqrt_p: int, liquidity: int, amount_in: int,
                               zero_for_one: bool) -> int:
    if sqrt_p <= 0 or liquidity <= 0:
        raise MathOverflow("getNextSqrtPriceFromInput: zero price or liquidity")
    if zero_for_one:
        return next_sqrt_price_from_amount0_rounding_up(sqrt_p, liquidity, amount_in, True)
    return next_sqrt_price_from_amount1_rounding_down(sqrt_p, liquidity, amount_in, True)


def next_sqrt_price_from_output(sqrt_p: int, liquidity: int, amount_out: int,
                                zero_for_one: bool) -> int:
    if sqrt_p <= 0 or liquidity <= 0:
        raise MathOverflow("getNextSqrtPriceFromOutput: zero price or liquidity")
    if zero_for_one:
        return next_sqrt_price_from_amount1_rounding_down(sqrt_p, liquidity, amount_out, False)
    return next_sqrt_price_from_amount0_rounding_up(sqrt_p, liquidity, amount_out, False)


def amount0_delta(sqrt_a: int, sqrt_b: int, liquidity: int, round_up: bool) -> int:
    if sqrt_a > sqrt_b:
        sqrt_a, sqrt_b = sqrt_b, sqrt_a
    if sqrt_a <= 0:
        raise MathOverflow("getAmount0Delta: zero price")
    numerator1 = liquidity << 96
    numerator2 = sqrt_b - sqrt_a
    if round_up:
        return div_rounding_up(mul_div_rounding_up(numerator1, numerator2, sqrt_b), sqrt_a)
    return mul_div(numerator1, numerator2, sqrt_b) // sqrt_a


def amount1_delta(sqrt_a: int, sqrt_b: int, liquidity: int, round_up: bool) -> int:
    if sqrt_a > sqrt_b:
        sqrt_a, sqrt_b = sqrt_b, sqrt_a
    if round_up:
        return mul_div_rounding_up(liquidity, sqrt_b - sqrt_a, Q96)
    return mul_div(liquidity, sqrt_b - sqrt_a, Q96)
