"""Uniswap V2 constant-product math (UniswapV2Library.getAmountOut / getAmountIn).

`fee` is in hundredths of a basis point like everywhere in the keeper (0.3% = 3000). With the
canonical 3000 the results equal the library's `997/1000` arithmetic exactly: both sides of
the fraction are scaled by the same factor 1000, so floor division gives the same quotient.
"""

from keeper.math.errors import (
    InsufficientInputAmount,
    InsufficientLiquidity,
    InsufficientOutputAmount,
)

FEE_DENOMINATOR = 1_000_000


def get_amount_out(amount_in: int, reserve_in: int, reserve_out: int, fee: int = 3000) -> int:
    if amount_in <= 0:
        raise InsufficientInputAmount(f"amount_in={amount_in}")
    if reserve_in <= 0 or reserve_out <= 0:
        raise InsufficientLiquidity(f"reserves=({reserve_in}, {reserve_out})")
    with_fee = amount_in * (FEE_DENOMINATOR - fee)
    return with_fee * reserve_out // (reserve_in * FEE_DENOMINATOR + with_fee)


def get_amount_in(amount_out: int, reserve_in: int, reserve_out: int, fee: int = 3000) -> int:
    if amount_out <= 0:
        raise InsufficientOutputAmount(f"amount_out={amount_out}")
    if reserve_in <= 0 or reserve_out <= 0 or amount_out >= reserve_out:
        raise InsufficientLiquidity(f"reserves=({reserve_in}, {reserve_out}) out={amount_out}")
    numerator = reserve_in * amount_out * FEE_DENOMINATOR
    denominator = (reserve_out - amount_out) * (FEE_DENOMINATOR - fee)
    return numerator // denominator + 1
