"""executeV2_e0's gate reads no storage of its own: the pause copy and the venue table's CREATE
nonce ride in the ERC-1967 implementation slot's 12 high bytes (the proxy reads that slot on
every call anyway), the gate's key in the table's head. These tests hold the slot's low 20
bytes (the implementation) fixed through every write, and the copies true to their sources."""

from __future__ import annotations

from eth_utils import keccak

from keeper.onchain.route import encode_v2_path, pack_v2_head
from tests.executor.test_execute_v2 import (
    FAR,
    HEAD,
    _cycle,
    _error,
    _revert_data,
    _send,
    _venues,
)

IMPLEMENTATION_SLOT = int.from_bytes(keccak(b"eip1967.proxy.implementation"), "big") - 1
LOW_20 = 2**160 - 1
# ExecutorStorage's fields from its ERC-7201 slot: venues, feeds, aavePool, listings, gate
GATE_FIELD = 4


def _slot(system) -> int:
    raw = system.world.w3.eth.get_storage_at(system.executor.address, IMPLEMENTATION_SLOT)
    return int.from_bytes(raw, "big")


def _set_slot(system, slot: int, value: int) -> None:
    system.world.w3.provider.make_request("anvil_setStorageAt", [
        system.executor.address, hex(slot), "0x" + value.to_bytes(32, "big").hex()])


def _table_nonce(system) -> int:
    return (_slot(system) >> 168) & 0xFFFFFFFF


def _paused_copy(system) -> int:
    return (_slot(system) >> 160) & 0xFF


def _table_key(system) -> str:
    w3 = system.world.w3
    code = w3.eth.get_code(system.executor.functions.venueTable().call())
    return w3.to_checksum_address(code[HEAD - 20:HEAD])


def _trade(system, plant):
    plant(system)
    opp = _cycle(system)
    return pack_v2_head(opp.amount_in, 1, FAR, False), encode_v2_path(
        opp, system.manifest, _venues(system))


def test_flags__pause_sync_and_unpause__rewrite_only_the_high_bytes(system):
    ex = system.executor.functions
    implementation = int(system.manifest.system.executor_implementation, 16)
    assert _slot(system) & LOW_20 == implementation
    nonce = _table_nonce(system)
    assert nonce > 0 and _paused_copy(system) == 0
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    assert (_slot(system) & LOW_20, _paused_copy(system), _table_nonce(system)) == (
        implementation, 1, nonce)
    # the proxy still forwards: a view answers, through the same slot
    assert ex.paused().call() is True
    factory = next(iter(_venues(system)))
    assert system.send(ex.syncFactory(factory), system.stranger)["status"] == "0x1"
    assert (_slot(system) & LOW_20, _paused_copy(system), _table_nonce(system)) == (
        implementation, 1, nonce + 1)  # a new table keeps the pause
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    assert (_slot(system) & LOW_20, _paused_copy(system), _table_nonce(system)) == (
        implementation, 0, nonce + 1)
    assert _slot(system) >> 200 == 0  # nothing above the nonce


def test_table_key__revoked_and_granted__the_head_follows_the_gate(system, plant):
    head, path = _trade(system, plant)
    ex = system.executor.functions
    role = ex.EXECUTOR_ROLE().call()
    assert _table_key(system) == system.keeper == ex.gateKey().call()
    table = ex.venueTable().call()
    assert system.send(ex.revokeRole(role, system.keeper), system.admin)["status"] == "0x1"
    assert ex.venueTable().call() != table  # rewritten with no key
    assert int(_table_key(system), 16) == 0
    # the revoked key is refused by the full checks, as anyone without the role
    assert _revert_data(system, head, path) == _error(
        "AccessControlUnauthorizedAccount(address,bytes32)", int(system.keeper, 16),
        int.from_bytes(role, "big"))
    # the next EXECUTOR granted becomes the key, in the gate and in the head
    assert system.send(ex.grantRole(role, system.stranger), system.admin)["status"] == "0x1"
    assert _table_key(system) == system.stranger == ex.gateKey().call()
    assert _send(system, head, path, system.stranger)["status"] == "0x1"


def test_table_key__another_executor__passes_by_the_full_checks(system, plant):
    head, path = _trade(system, plant)
    ex = system.executor.functions
    second = system.world.w3.eth.accounts[8]
    assert system.send(ex.grantRole(ex.EXECUTOR_ROLE().call(), second),
                       system.admin)["status"] == "0x1"
    assert _table_key(system) == system.keeper  # a later grant leaves the key as it is
    assert _send(system, head, path, second)["status"] == "0x1"
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    assert _revert_data(system, head, path, second) == _error("EnforcedPause()")


def test_flags__upgraded_from_the_gate_layout__first_sync_continues_the_nonce(system, plant):
    """An implementation from before the flags kept the table's nonce in the gate's slot and
    left the ERC-1967 slot's high bytes zero. Planted here, paused: the first sync deploys the
    next table at the proxy's real CREATE nonce (not at 1) and copies the pause from Pausable
    into the flags, where it had never been."""
    head, path = _trade(system, plant)
    ex = system.executor.functions
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    nonce = _table_nonce(system)
    location = int.from_bytes(ex.STORAGE_LOCATION().call(), "big")
    _set_slot(system, location + GATE_FIELD, int(system.keeper, 16) | 1 << 160 | nonce << 168)
    _set_slot(system, IMPLEMENTATION_SLOT, _slot(system) & LOW_20)
    assert int(ex.venueTable().call(), 16) == 0
    assert _revert_data(system, head, path) == _error("EnforcedPause()")
    factory = next(iter(_venues(system)))
    assert system.send(ex.syncFactory(factory), system.stranger)["status"] == "0x1"
    assert (_table_nonce(system), _paused_copy(system)) == (nonce + 1, 1)
    assert _table_key(system) == system.keeper
    assert _revert_data(system, head, path) == _error("EnforcedPause()")
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    assert _send(system, head, path)["status"] == "0x1"
