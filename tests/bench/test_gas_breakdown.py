"""bench-gas's breakdown: each contract's own share of a call tree, the proxy's pass to its
implementation counted as the executor's, and the intrinsic cost split from the top frame."""

from __future__ import annotations

from bench.gas.breakdown import breakdown, intrinsic_gas, own_shares


def _frame(to: str, used: int, calls=(), kind: str = "CALL") -> dict:
    return {"to": to, "gasUsed": hex(used), "type": kind, "calls": list(calls)}


TREE = _frame("proxy", 100_000, [
    _frame("impl", 90_000, [
        _frame("pair", 40_000, [_frame("token", 10_000)]),
        _frame("token", 5_000),
    ], kind="DELEGATECALL"),
])
NAMES = {"proxy": "executor", "impl": "implementation", "pair": "pair", "token": "token"}


def test_own_shares__delegatecall_counts_as_the_caller_and_shares_sum_to_the_total():
    shares = own_shares(TREE, NAMES.__getitem__)
    assert shares == {"executor": 10_000 + 45_000, "pair": 30_000, "token": 15_000}
    assert sum(shares.values()) == 100_000


def test_breakdown__intrinsic_cost_comes_out_of_the_top_frame():
    data = bytes([1, 0, 0, 2])
    assert intrinsic_gas(data) == 21_000 + 16 * 2 + 4 * 2
    shares = breakdown(TREE, data, NAMES.__getitem__)
    assert shares["transaction (21,000 + calldata)"] == 21_040
    assert shares["executor"] == 55_000 - 21_040
    assert sum(shares.values()) == 100_000


def test_breakdown__access_list_priced_into_the_intrinsic_cost():
    listed = [{"address": "0x" + "11" * 20, "storageKeys": ["0x" + "00" * 32, "0x" + "01" * 32]},
              {"address": "0x" + "22" * 20, "storageKeys": []}]
    data = bytes([1])
    assert intrinsic_gas(data, listed) == 21_016 + 2 * 2_400 + 2 * 1_900
    shares = breakdown(TREE, data, NAMES.__getitem__, listed)
    assert shares["transaction (21,000 + calldata + access list)"] == 29_616
    assert sum(shares.values()) == 100_000
