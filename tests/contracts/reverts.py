"""`ape.reverts`, strict about which error. ape compares the expected custom error's class
only when the revert decoded to *some* custom error: a revert without data, with a string or
with a Panic (an underflow) passed any `ape.reverts(contract.SomeError)` unchecked. ape also
leaves some reverts of view calls undecoded ("custom error 0x<selector>: ..."); those are
held to the expected error's selector."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ape
from ape.exceptions import CustomError
from eth_utils import keccak


@contextmanager
def reverts(error: Any, **inputs: Any) -> Iterator[Any]:
    with ape.reverts(error, **inputs) as info:
        yield info
    got = info.value
    if isinstance(got, CustomError):
        assert type(got).__name__ == error.__name__, (
            f"expected {error.__name__}, the revert was {type(got).__name__}")
        return
    assert not inputs, f"{error.__name__}'s inputs cannot be checked: ape did not decode it"
    selector = keccak(text=error.abi.selector)[:4].hex()
    text = str(getattr(got, "revert_message", None) or got)
    assert f"0x{selector}" in text, (
        f"expected {error.__name__} (0x{selector}), the revert was {type(got).__name__}: {text!r}")
