"""Which touched accounts and slots the execute's access list keeps: each saves 100 where it
would be cold, an account already warm (the sender, the recipient, a precompile, the coinbase)
costs 2,400 to list and is kept only for more than 24 of its slots."""

from __future__ import annotations

from keeper.execute.access_list import (
    AccessEntry,
    from_rpc,
    price,
    saving,
    worth_listing,
)

SENDER, PROXY, IMPL, PAIR = ("0x" + c * 40 for c in "abcd")


def _key(n: int) -> str:
    return f"0x{n:064x}"


def test_from_rpc__merges_an_account_and_normalises_keys():
    raw = [{"address": "0x" + "D" * 40, "storageKeys": ["0x8", "0x08"]},
           {"address": PAIR, "storageKeys": [_key(12)]},
           {"address": IMPL}]
    assert from_rpc(raw) == (AccessEntry(PAIR, (_key(8), _key(12))), AccessEntry(IMPL, ()))


def test_worth_listing__cold_accounts_kept_warm_ones_dropped():
    touched = (AccessEntry(PROXY, (_key(1),)), AccessEntry(IMPL, ()),
               AccessEntry(PAIR, (_key(8),)), AccessEntry(SENDER, ()),
               AccessEntry("0x" + "00" * 19 + "01", ()),  # ecrecover
               AccessEntry("0x" + "00" * 18 + "0100", ()))  # P256VERIFY
    listed = worth_listing(touched, warm=[SENDER, PROXY.upper().replace("0X", "0x")])
    assert listed == (AccessEntry(IMPL, ()), AccessEntry(PAIR, (_key(8),)))
    # the implementation (the proxy's DELEGATECALL target) saves 100, the pair 200
    assert saving(listed, [SENDER, PROXY]) == 300


def test_worth_listing__warm_account_kept_only_past_24_slots():
    many = AccessEntry(PROXY, tuple(_key(i) for i in range(25)))
    few = AccessEntry(PROXY, tuple(_key(i) for i in range(24)))
    assert worth_listing((many,), warm=[PROXY]) == (many,)
    assert saving((many,), [PROXY]) == 100
    assert worth_listing((few,), warm=[PROXY]) == ()
    assert saving((few,), [PROXY]) == 0


def test_price__2400_an_account_1900_a_slot():
    listed = [e.to_rpc() for e in (AccessEntry(IMPL, ()), AccessEntry(PAIR, (_key(8), _key(9))))]
    assert price(listed) == 2 * 2_400 + 2 * 1_900
    assert price([]) == 0
