"""Simulate an execute on the node and return the transaction, ready to sign.

One request does both jobs: eth_createAccessList runs the call on the given block and answers
with what it touched and the gas it used, or with the revert. The keeper would simulate before
sending anyway, so the access list (keeper.execute.access_list) costs it no extra round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.types import RPCEndpoint

from keeper.chain.http import shown_url
from keeper.errors import FlashkeeperError, NodeError
from keeper.execute.access_list import AccessEntry, from_rpc, saving, worth_listing
from keeper.onchain.revert import named_revert

# The limit over the simulated use. The use is net of refunds, which EIP-3529 caps at a fifth
# of it (x1.25), and every call the executor makes keeps back 1/64 of what remains (EIP-150:
# x1.065 at the four levels of a flash execute): 1.33, rounded up. Unused gas is not paid for.
GAS_MARGIN = (3, 2)


class ExecuteWouldRevert(FlashkeeperError):
    """The simulation reverted: the message is the executor's error, named where the ABI knows
    it (`InsufficientProfit(got, wanted)`), and `data` the raw revert data (None: the node
    gave none)."""

    def __init__(self, message: str, data: str | None) -> None:
        super().__init__(message)
        self.data = data


@dataclass(frozen=True, slots=True)
class Simulated:
    touched: tuple[AccessEntry, ...]
    gas_used: int


@dataclass(frozen=True, slots=True)
class Reverted:
    message: str  # the node's
    data: str | None  # 0x-prefixed, at least a selector; None when the node gave none


@dataclass(frozen=True, slots=True)
class PreparedTx:
    tx: dict[str, Any]  # from, to, data, gas, accessList: the signer adds nonce, fees, chain id
    gas_used: int  # the simulation's, with its own access list
    access_list: tuple[AccessEntry, ...]
    list_saves: int  # at least this much gas, where the transaction touches what it touched


def read_simulation(response: Mapping[str, Any]) -> Simulated | Reverted:
    """An eth_createAccessList answer. anvil and reth answer a revert as a JSON-RPC error
    (code 3, with the data); geth and erigon as a result carrying `error`, without the data.
    Raises ValueError for an error that is not the call's (an unknown method, a bad block)."""
    error = response.get("error")
    result = response.get("result") or {}
    if error is None and result.get("error"):
        return Reverted(str(result["error"]), _revert_data(result.get("revertData")))
    if error is not None:
        message, data = str(error.get("message", "")), _revert_data(error.get("data"))
        if data is None and error.get("code") != 3 and "revert" not in message:
            raise ValueError(message or str(error))
        return Reverted(message, data)
    return Simulated(from_rpc(result.get("accessList") or []), int(result["gasUsed"], 16))


def _revert_data(data: Any) -> str | None:
    # "0x" alone is a revert without data (a bare `require`): nothing to name
    return data if isinstance(data, str) and data.startswith("0x") and len(data) >= 10 else None


def prepare(w3: Web3, executor: str, sender: str, calldata: bytes, *,
            block: str = "pending", coinbase: str | None = None,
            abi: list[dict[str, Any]] | None = None) -> PreparedTx:
    """The execute transaction from `sender` to the executor (its proxy) with `calldata`,
    simulated on `block` ("pending": the one it would be mined in). `coinbase`, where the
    block's builder is known (a bundle's), is warm and left out of the list. Raises
    ExecuteWouldRevert when the call reverts, and NodeError when the node cannot simulate."""
    call = {"from": sender, "to": executor, "data": "0x" + calldata.hex()}
    url = shown_url(str(getattr(w3.provider, "endpoint_uri", "") or ""))
    try:
        outcome = read_simulation(_request(w3, url, "eth_createAccessList", [call, block]))
    except ValueError as e:
        raise NodeError(f"the node at {url} cannot simulate the execute with "
                        f"eth_createAccessList: {e}") from None
    if isinstance(outcome, Reverted):
        data = outcome.data
        if data is None:
            # geth's answer has no revert data: the same call once more, as eth_call, for it
            error = _request(w3, url, "eth_call", [call, block]).get("error") or {}
            data = _revert_data(error.get("data"))
        if abi is None:
            from keeper.world.artifacts import project_artifact  # the build, only for names
            abi = project_artifact("FlashArbExecutor").abi
        why = named_revert(abi, data) or outcome.message or data
        raise ExecuteWouldRevert(f"the execute would revert: {why}", data)
    warm = [sender, executor, *([coinbase] if coinbase else [])]
    listed = worth_listing(outcome.touched, warm)
    tx = {**call, "gas": outcome.gas_used * GAS_MARGIN[0] // GAS_MARGIN[1],
          "accessList": [e.to_rpc() for e in listed]}
    return PreparedTx(tx, outcome.gas_used, listed, saving(listed, warm))


def _request(w3: Web3, url: str, method: str, params: list[Any]) -> Mapping[str, Any]:
    try:
        return w3.provider.make_request(RPCEndpoint(method), params)
    except (OSError, ValueError) as e:  # refused, timed out (requests' are OSErrors), not JSON
        raise NodeError(f"no node answers at {url} ({type(e).__name__})") from None
