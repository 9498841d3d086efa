"""`ape.reverts`, strict about which error. ape compares the expected custom error's class
only when the revert decoded to *some* custom error: a revert without data, with a string or
with a Panic (an underflow) passed any `ape.reverts(contract.SomeError)` unchecked. ape also
leaves some reverts of view calls undecoded ("custom error 0x<selector>: ..."); those are
held to the expected error's selector.

A test that checks state after a reverted call ("nothing changed") means something only if
the transaction was mined. On the local network ape sends with the block's gas limit, so it
is; with a gas estimate (ape's way on live networks) a reverting transaction is never sent,
and the postcondition would check what nothing touched. Such calls take `**MINED`, their own
gas limit, and `reverts(..., mined=True)` holds the transaction to having been mined, and
failed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ape
from ape.exceptions import CustomError
from eth_utils import keccak

MINED = {"gas_limit": 2_000_000}


@contextmanager
def reverts(error: Any, mined: bool = False, **inputs: Any) -> Iterator[Any]:
    with ape.reverts(error, **inputs) as info:
        yield info
    got = info.value
    if mined:
        assert_mined_and_failed(got)
    if isinstance(got, CustomError):
        assert type(got).__name__ == error.__name__, (
            f"expected {error.__name__}, the revert was {type(got).__name__}")
        return
    assert not inputs, f"{error.__name__}'s inputs cannot be checked: ape did not decode it"
    selector = keccak(text=error.abi.selector)[:4].hex()
    text = str(getattr(got, "revert_message", None) or got)
    assert f"0x{selector}" in text, (
        f"expected {error.__name__} (0x{selector}), the revert was {type(got).__name__}: {text!r}")


def assert_mined_and_failed(revert: Exception) -> None:
    """The revert came from a transaction that was mined, and failed (see the module's note)."""
    txn = getattr(revert, "txn", None)
    assert txn is not None, "the revert came from no transaction"
    receipt = ape.chain.provider.web3.eth.get_transaction_receipt(txn.txn_hash)
    assert receipt["status"] == 0, "the transaction was mined and did not revert"
