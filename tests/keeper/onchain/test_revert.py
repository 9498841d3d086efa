"""Named reverts: a custom error's raw data turned into `Name(args)` from the contract's ABI."""

from __future__ import annotations

from eth_abi import encode
from eth_utils import keccak

from keeper.onchain.revert import named_revert

ABI = [{"type": "error", "name": "Held", "inputs": [{"name": "id", "type": "bytes32"}]},
       {"type": "error", "name": "Unauthorized",
        "inputs": [{"name": "account", "type": "address"}, {"name": "role", "type": "bytes32"}]}]


def _data(signature: str, types: list[str], args: list) -> str:
    return "0x" + (keccak(text=signature)[:4] + encode(types, args)).hex()


def test_named_revert__known_errors__name_and_readable_args():
    held = _data("Held(bytes32)", ["bytes32"], [b"sushiswap".ljust(32, b"\0")])
    assert named_revert(ABI, held) == "Held(sushiswap)"
    account, role = "0x" + "11" * 20, keccak(text="CURATOR_ROLE")
    refused = _data("Unauthorized(address,bytes32)", ["address", "bytes32"], [account, role])
    assert named_revert(ABI, refused) == f"Unauthorized({account}, 0x{role.hex()})"


def test_named_revert__unknown_or_malformed__none():
    assert named_revert(ABI, _data("Other(uint256)", ["uint256"], [1])) is None
    assert named_revert(ABI, "0x") is None
    assert named_revert(ABI, None) is None
    # the right selector with arguments cut short: the name alone
    assert named_revert(ABI, _data("Held(bytes32)", [], [])) == "Held"


def test_named_revert__solidity_error_and_panic__named():
    assert named_revert(ABI, _data("Error(string)", ["string"], ["UniswapV2: K"])) == \
        'Error("UniswapV2: K")'
    assert named_revert([], _data("Panic(uint256)", ["uint256"], [0x11])) == "Panic(0x11)"
