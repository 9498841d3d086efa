"""FullMath and UnsafeMath: 512-bit mulDiv is plain big-int arithmetic in Python, plus the
contracts' overflow checks on the 256-bit result."""

from keeper.math.errors import MathOverflow

MAX_UINT256 = 2**256 - 1
MAX_UINT160 = 2**160 - 1
MAX_UINT128 = 2**128 - 1
Q96 = 2**96


def mul_div(a: int, b: int, denominator: int) -> int:
    if denominator <= 0:
        raise MathOverflow("mulDiv by zero")
    result = a * b // denominator
    if result > MAX_UINT256:
        raise MathOverflow("mulDiv result exceeds uint256")
    return result


def mul_div_rounding_up(a: int, b: int, denominator: int) -> int:
    result = mul_div(a, b, denominator)
    if a * b % denominator:
        if result >= MAX_UINT256:
            raise MathOverflow("mulDivRoundingUp result exceeds uint256")
        result += 1
    return result


def div_rounding_up(x: int, y: int) -> int:
    # UnsafeMath.divRoundingUp: division by zero yields 0 in the EVM; callers never pass 0
    return x // y + (1 if x % y else 0)


def to_uint160(x: int) -> int:
    if x > MAX_UINT160:
        raise MathOverflow("SafeCast.toUint160")
    return x
