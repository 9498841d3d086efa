"""FlashkeeperProxy: OpenZeppelin's ERC-1967 constructor in front of a hand-assembled runtime.
The runtime is checked opcode by opcode, then by what a proxy must do: forward calldata and
value, hand back return data and revert data unchanged, and find the implementation in the
ERC-1967 slot's low 20 bytes whatever the executor keeps above them."""

from __future__ import annotations

import pytest
import rlp
from eth_utils import keccak, to_checksum_address

from keeper.world.artifacts import npm_artifact
from tests.contracts.reverts import MINED, reverts
from tests.contracts.test_guarded import (
    IMPLEMENTATION_SLOT,
    _implementation,
    _slot,
    _upgraded_to,
)

ID = b"uniswap-v2".ljust(32, b"\0")
HASH = keccak(b"pair creation code")

# the runtime as the contract's NatSpec lays it out, assembled here from the mnemonics
OPCODES = {"CALLDATASIZE": 0x36, "PUSH0": 0x5F, "CALLDATACOPY": 0x37, "SLOAD": 0x54,
           "GAS": 0x5A, "DELEGATECALL": 0xF4, "RETURNDATASIZE": 0x3D, "RETURNDATACOPY": 0x3E,
           "JUMPI": 0x57, "REVERT": 0xFD, "JUMPDEST": 0x5B, "RETURN": 0xF3}


def _assemble(*program: str | tuple[int, int]) -> bytes:
    """Mnemonics, and (width, value) for a PUSH<width>."""
    out = b""
    for op in program:
        if isinstance(op, tuple):
            width, value = op
            out += bytes([0x5F + width]) + value.to_bytes(width, "big")
        else:
            out += bytes([OPCODES[op]])
    return out


RUNTIME = _assemble(
    "CALLDATASIZE", "PUSH0", "PUSH0", "CALLDATACOPY",
    "PUSH0", "PUSH0", "CALLDATASIZE", "PUSH0",
    (32, IMPLEMENTATION_SLOT), "SLOAD", "GAS", "DELEGATECALL",
    "RETURNDATASIZE", "PUSH0", "PUSH0", "RETURNDATACOPY",
    (1, 0x36), "JUMPI",
    "RETURNDATASIZE", "PUSH0", "REVERT",
    "JUMPDEST", "RETURNDATASIZE", "PUSH0", "RETURN",
)


def _w3(chain):
    return chain.provider.web3


def test_proxy__deployed__runs_the_documented_runtime(chain, dex_registry):
    code = bytes(_w3(chain).eth.get_code(dex_registry.address))
    assert code == RUNTIME
    assert len(code) == 58
    # the success branch's target is the JUMPDEST, where the NatSpec says it is
    assert code[0x36] == OPCODES["JUMPDEST"]


def test_proxy__deployment__sets_the_slot_emits_upgraded_and_runs_the_data(project, admin,
                                                                          chain):
    implementation = admin.deploy(project.MockAggregator, 8, 1)
    proxy = admin.deploy(project.FlashkeeperProxy, implementation.address,
                         implementation.setAnswer.encode_input(42))
    assert _upgraded_to(chain.get_receipt(proxy.txn_hash)) == [int(implementation.address, 16)]
    assert _implementation(chain, proxy.address) == int(implementation.address, 16)
    feed = project.MockAggregator.at(proxy.address)
    # the data ran on the proxy's storage (its first round), not the implementation's
    assert feed.latestRoundData()[:2] == (1, 42)
    assert implementation.latestRoundData()[:2] == (1, 1)
    assert feed.decimals() == 8  # the implementation's code (an immutable) answers


def test_proxy__implementation_without_code__reverts(project, admin, stranger):
    # (ape does not decode a deployment's revert: the selector is checked, not the argument)
    with reverts(project.FlashkeeperProxy.ERC1967InvalidImplementation, mined=True):
        admin.deploy(project.FlashkeeperProxy, stranger.address, b"\x01", **MINED)


@pytest.mark.parametrize("value", [0, 1])
def test_proxy__without_initialize_data__reverts(project, admin, value):
    """A proxy deployed uninitialized would be anyone's to initialize (and so to upgrade):
    refused as OpenZeppelin's ERC1967Proxy refuses it, with or without value."""
    implementation = admin.deploy(project.DexRegistry)
    with reverts(project.FlashkeeperProxy.ERC1967ProxyUninitialized, mined=True):
        admin.deploy(project.FlashkeeperProxy, implementation.address, b"", value=value,
                     **MINED)


def test_proxy__failing_initialize__reverts_the_deployment(project, admin, factory, chain):
    implementation = admin.deploy(project.DexRegistry)
    # calldata the implementation refuses (no one holds REGISTRAR yet): the deployment fails
    # with the implementation's own error, and leaves no proxy behind
    data = implementation.register.encode_input(ID, 0, factory, factory, 30, HASH)
    nonce = admin.nonce
    with reverts(project.DexRegistry.AccessControlUnauthorizedAccount, mined=True):
        admin.deploy(project.FlashkeeperProxy, implementation.address, data, **MINED)
    # CREATE's address for the failed deployment
    address = keccak(rlp.encode([bytes.fromhex(admin.address[2:]), nonce]))[12:]
    assert _w3(chain).eth.get_code(to_checksum_address(address)) == b""


def test_proxy__revert_data__bubbles_unchanged(dex_registry, stranger):
    # a custom error with arguments comes back whole: selector, account and role
    role = dex_registry.REGISTRAR_ROLE()
    with reverts(dex_registry.AccessControlUnauthorizedAccount, mined=True,
                 account=stranger.address, neededRole=role):
        dex_registry.register(ID, 0, stranger, stranger, 30, HASH, sender=stranger, **MINED)


def test_proxy__return_data__comes_back_whole(chain, dex_registry, admin, factory):
    dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin)
    # a many-word answer (a struct of six fields) decodes to what was stored
    info = dex_registry.getDex(ID)
    assert info.factory == factory.address
    assert info.feeBps == 30
    assert bytes(info.initCodeHash) == HASH


def test_proxy__flags_above_the_address__never_reach_the_call(chain, dex_registry, admin,
                                                              factory):
    """DELEGATECALL takes its address modulo 2^160: with every high bit of the slot set the
    proxy still reaches its implementation (the executor keeps flags there)."""
    dirty = _slot(chain, dex_registry.address) | (((1 << 96) - 1) << 160)
    _w3(chain).provider.make_request("anvil_setStorageAt", [
        dex_registry.address, hex(IMPLEMENTATION_SLOT), "0x" + dirty.to_bytes(32, "big").hex()])
    dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin)
    assert dex_registry.getDex(ID).factory == factory.address
    assert _slot(chain, dex_registry.address) == dirty


def _receipt(w3, tx):
    """The receipt once mined: anvil mines a sent transaction just after answering, so the
    receipt can be missing for a moment (a clean-clone run failed on it, TransactionNotFound)"""
    return w3.eth.wait_for_transaction_receipt(tx, timeout=30, poll_latency=0.01)


@pytest.fixture
def weth_behind_proxy(project, admin, chain):
    """WETH9's published bytecode behind the proxy: its payable fallback deposits, and its
    `withdraw` reverts without data, two things no Flashkeeper contract has."""
    w3 = _w3(chain)
    art = npm_artifact("WETH9")
    tx = w3.eth.contract(abi=art.abi, bytecode=art.bytecode).constructor().transact(
        {"from": admin.address})
    implementation = _receipt(w3, tx)["contractAddress"]
    deposit = keccak(text="deposit()")[:4]  # harmless initialize data: a deposit of nothing
    proxy = admin.deploy(project.FlashkeeperProxy, implementation, deposit)
    return w3.eth.contract(address=proxy.address, abi=art.abi)


def test_proxy__value_with_empty_calldata__reaches_the_implementation(chain, admin,
                                                                      weth_behind_proxy):
    w3 = _w3(chain)
    weth = weth_behind_proxy
    tx = w3.eth.send_transaction({"from": admin.address, "to": weth.address, "value": 7,
                                  "gas": 200_000})
    assert _receipt(w3, tx)["status"] == 1
    assert w3.eth.get_balance(weth.address) == 7  # the ETH stays with the proxy
    assert weth.functions.balanceOf(admin.address).call() == 7  # credited in its storage


def test_proxy__empty_revert_data__bubbles_empty(chain, admin, weth_behind_proxy):
    w3 = _w3(chain)
    weth = weth_behind_proxy
    call = {"from": admin.address, "to": weth.address, "gas": 200_000,
            "data": weth.encode_abi("withdraw", [1])}
    answer = w3.provider.make_request("eth_call", [call, "latest"])
    assert "error" in answer, answer  # WETH9's bare `require`: a revert, with no data
    assert answer["error"].get("data", "0x") == "0x", answer
    tx = w3.eth.send_transaction(call)
    assert _receipt(w3, tx)["status"] == 0
    assert weth.functions.balanceOf(admin.address).call() == 0
