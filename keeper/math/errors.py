"""The contracts' revert reasons as exceptions: `except MathError` catches every one of them."""

from keeper.errors import FlashkeeperError


class MathError(FlashkeeperError):
    """A computation the contract would revert on. `reason` is the contract's revert string."""

    reason = ""

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{self.reason}{': ' + detail if detail else ''}")
        self.detail = detail


# Uniswap V2 (UniswapV2Library / UniswapV2Pair)
class InsufficientInputAmount(MathError):
    reason = "UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT"


class InsufficientOutputAmount(MathError):
    reason = "UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT"


class InsufficientLiquidity(MathError):
    reason = "UniswapV2Library: INSUFFICIENT_LIQUIDITY"


# Uniswap V3 (TickMath, SqrtPriceMath, FullMath, LiquidityMath, UniswapV3Pool)
class TickOutOfRange(MathError):
    reason = "T"


class SqrtPriceOutOfRange(MathError):
    reason = "R"


class AmountSpecifiedZero(MathError):
    reason = "AS"


class SqrtPriceLimit(MathError):
    reason = "SPL"


class LiquiditySub(MathError):
    reason = "LS"


class LiquidityAdd(MathError):
    reason = "LA"


class MathOverflow(MathError):
    """FullMath / SafeCast / SqrtPriceMath reverts (the contracts revert without a reason)."""

    reason = "overflow"
