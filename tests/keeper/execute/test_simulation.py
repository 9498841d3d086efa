"""How prepare() reads a node's eth_createAccessList answer: anvil's and reth's revert (a
JSON-RPC error with the data), geth's and erigon's (a result carrying `error`, no data: the
data is fetched with one eth_call), a success, and errors that are the node's, not the call's.
geth cannot run here: `_GethStyle` answers as its eth_createAccessList and eth_call do."""

from __future__ import annotations

from typing import Any

import pytest
from eth_abi import encode
from eth_utils import keccak
from web3 import Web3
from web3.providers.base import BaseProvider

from keeper.errors import NodeError
from keeper.execute.access_list import AccessEntry
from keeper.execute.prepare import ExecuteWouldRevert, Reverted, Simulated, prepare, read_simulation

ABI = [{"type": "error", "name": "InsufficientProfit",
        "inputs": [{"name": "got", "type": "uint256"}, {"name": "wanted", "type": "uint256"}]}]
SHORT = "0x" + (keccak(text="InsufficientProfit(uint256,uint256)")[:4]
                + encode(["uint256", "uint256"], [5, 9])).hex()
K = "0x" + (keccak(text="Error(string)")[:4] + encode(["string"], ["UniswapV2: K"])).hex()


def test_read_simulation__success__touched_and_gas():
    answer = {"result": {"accessList": [{"address": "0x" + "AB" * 20, "storageKeys": ["0x8"]}],
                         "gasUsed": "0x2e0b2"}}
    assert read_simulation(answer) == Simulated(
        (AccessEntry("0x" + "ab" * 20, (f"0x{8:064x}",)),), 0x2E0B2)


def test_read_simulation__anvil_revert__message_and_data():
    answer = {"error": {"code": 3, "message": "execution reverted: custom error 0x4e88422a",
                        "data": SHORT}}
    assert read_simulation(answer) == Reverted("execution reverted: custom error 0x4e88422a",
                                               SHORT)


@pytest.mark.parametrize("data", [None, "0x", "nonsense"])
def test_read_simulation__revert_without_usable_data__none(data):
    geth = {"result": {"accessList": [], "gasUsed": "0x5208", "error": "execution reverted"}}
    assert read_simulation(geth) == Reverted("execution reverted", None)
    bare = {"error": {"code": 3, "message": "execution reverted", "data": data}}
    assert read_simulation(bare) == Reverted("execution reverted", None)


def test_read_simulation__the_nodes_error__value_error():
    with pytest.raises(ValueError, match="method not found"):
        read_simulation({"error": {"code": -32601, "message": "the method eth_createAccessList "
                                                              "does not exist/method not found"}})


class _GethStyle(BaseProvider):
    """Answers eth_createAccessList as geth does for a reverting call, and eth_call with the
    revert data; anything else is refused, as a node without the method would."""

    def __init__(self, revert_data: str) -> None:
        super().__init__()
        self.revert_data = revert_data
        self.asked: list[str] = []

    def make_request(self, method: Any, params: Any) -> Any:
        self.asked.append(method)
        if method == "eth_createAccessList":
            return {"result": {"accessList": [], "gasUsed": "0x5208",
                               "error": "execution reverted"}}
        if method == "eth_call":
            return {"error": {"code": 3, "message": "execution reverted",
                              "data": self.revert_data}}
        return {"error": {"code": -32601, "message": "method not found"}}


@pytest.mark.parametrize(("data", "named"), [(SHORT, "InsufficientProfit(5, 9)"),
                                             (K, 'Error("UniswapV2: K")')])
def test_prepare__geth_style_revert__data_fetched_once_and_named(data, named):
    provider = _GethStyle(data)
    with pytest.raises(ExecuteWouldRevert) as e:
        prepare(Web3(provider), "0x" + "11" * 20, "0x" + "22" * 20, b"\x01", abi=ABI)
    assert str(e.value) == f"the execute would revert: {named}"
    assert e.value.data == data
    assert provider.asked == ["eth_createAccessList", "eth_call"]


def test_prepare__node_without_the_method__node_error_naming_it():
    class Refusing(_GethStyle):
        def make_request(self, method: Any, params: Any) -> Any:
            return {"error": {"code": -32601, "message": "method not found"}}

    with pytest.raises(NodeError, match="cannot simulate the execute with eth_createAccessList: "
                                        "method not found"):
        prepare(Web3(Refusing("0x")), "0x" + "11" * 20, "0x" + "22" * 20, b"\x01", abi=ABI)
