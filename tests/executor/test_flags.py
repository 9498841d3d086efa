"""executeV2_e0's gate reads no storage of its own: its closed bits (paused, key revoked) and
the venue table's CREATE nonce ride in the ERC-1967 implementation slot's 12 high bytes (the
proxy reads that slot on every call anyway), the gate's key in the table's head. These tests
hold the slot's low 20 bytes (the implementation) fixed through every write, and the cache
true to its authorities (Pausable, AccessControl, the gate's nonce) through pauses, revokes,
upgrades and older layouts."""

from __future__ import annotations

from web3.logs import DISCARD

from keeper.chain.anvil import wait_receipt
from keeper.onchain.registry import dex_id
from keeper.onchain.route import encode_v2_path, pack_v2_head
from keeper.onchain.storage import IMPLEMENTATION_SLOT
from keeper.world.artifacts import project_artifact
from tests.executor.test_execute_v2 import (
    FAR,
    HEAD,
    _cycle,
    _error,
    _registry,
    _revert_data,
    _send,
    _venues,
)

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


OPEN = 0x80  # written only by a table's deployment: anything else fails closed


def _state(system) -> int:
    """OPEN, then the closed bits: 1 paused, 2 the head's key revoked."""
    return (_slot(system) >> 160) & 0xFF


def _gate(system) -> int:
    ex = system.executor.functions
    return int.from_bytes(ex.STORAGE_LOCATION().call(), "big") + GATE_FIELD


def _gate_word(system) -> int:
    """The gate's slot: key | state | the last table's nonce (bits 168-199)."""
    raw = system.world.w3.eth.get_storage_at(system.executor.address, _gate(system))
    return int.from_bytes(raw, "big")


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
    assert nonce > 0 and _state(system) == OPEN
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    assert (_slot(system) & LOW_20, _state(system), _table_nonce(system)) == (
        implementation, OPEN | 1, nonce)
    # the proxy still forwards: a view answers, through the same slot
    assert ex.paused().call() is True
    factory = next(iter(_venues(system)))
    assert system.send(ex.syncFactory(factory), system.stranger)["status"] == "0x1"
    assert (_slot(system) & LOW_20, _state(system), _table_nonce(system)) == (
        implementation, OPEN | 1, nonce + 1)  # a new table keeps the pause
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    assert (_slot(system) & LOW_20, _state(system), _table_nonce(system)) == (
        implementation, OPEN, nonce + 1)
    assert _slot(system) >> 200 == 0  # nothing above the nonce


def test_table_key__revoked__closed_at_once_and_a_grant_writes_a_new_head(system, plant):
    head, path = _trade(system, plant)
    ex = system.executor.functions
    role = ex.EXECUTOR_ROLE().call()
    assert _table_key(system) == system.keeper == ex.gateKey().call()
    table = ex.venueTable().call()
    assert system.send(ex.revokeRole(role, system.keeper), system.admin)["status"] == "0x1"
    # one write, no table rewrite: the head still names the key, the closed bit overrules it
    assert ex.venueTable().call() == table and _table_key(system) == system.keeper
    assert _state(system) == OPEN | 2
    refused = _error("AccessControlUnauthorizedAccount(address,bytes32)",
                     int(system.keeper, 16), int.from_bytes(role, "big"))
    assert _revert_data(system, head, path) == refused
    # a pause and an unpause leave it closed
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    assert _state(system) == OPEN | 2
    assert _revert_data(system, head, path) == refused
    # a sync meanwhile writes a head with no key, still closed: not even a simulated call
    # from the zero address matches it
    factory = next(iter(_venues(system)))
    assert system.send(ex.syncFactory(factory), system.stranger)["status"] == "0x1"
    assert (int(_table_key(system), 16), _state(system)) == (0, OPEN | 2)
    zero = "0x" + "00" * 20
    assert _revert_data(system, head, path, zero) == _error(
        "AccessControlUnauthorizedAccount(address,bytes32)", 0, int.from_bytes(role, "big"))
    # the next EXECUTOR granted becomes the key, in the gate and in a new table's head
    assert system.send(ex.grantRole(role, system.stranger), system.admin)["status"] == "0x1"
    assert ex.venueTable().call() != table
    assert _table_key(system) == system.stranger == ex.gateKey().call()
    assert _state(system) == OPEN
    assert _revert_data(system, head, path) == refused
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


def _implementation(system) -> str:
    """A new FlashArbExecutor implementation with the proxy's immutables."""
    w3, m = system.world.w3, system.manifest
    art = project_artifact("FlashArbExecutor")
    r = wait_receipt(w3, w3.eth.contract(abi=art.abi, bytecode=art.bytecode).constructor(
        m.system.dex_registry, m.balancer_vault).transact({"from": system.admin}))
    return w3.to_checksum_address(r["contractAddress"])


def test_flags__upgrade__cleared_until_a_sync_rebuilds_them(system, plant):
    """An implementation in between that does not know the flags would let them go stale (a
    revoke or a pause under it would not reach them): the upgrade clears them on the way
    out, so executeV2_e0 takes the full checks and finds no table until the first sync."""
    head, path = _trade(system, plant)
    ex = system.executor.functions
    nonce = _table_nonce(system)
    factory = next(iter(_venues(system)))
    new = _implementation(system)
    r = system.send(ex.upgradeToAndCall(new, b""), system.admin)
    assert r["status"] == "0x1"
    assert _slot(system) == int(new, 16)  # the new implementation, nothing above it
    assert _revert_data(system, head, path) == _error("ExecutorNoVenueTable()")
    assert _venues(system) == {}  # no table: the keeper packs no route for it
    assert system.send(ex.syncFactory(factory), system.stranger)["status"] == "0x1"
    assert (_table_nonce(system), _state(system)) == (nonce + 1, OPEN)
    assert _send(system, head, path)["status"] == "0x1"


def test_flags__upgrade_with_a_sync_as_data__no_gap(system, plant):
    head, path = _trade(system, plant)
    ex = system.executor.functions
    nonce = _table_nonce(system)
    new = _implementation(system)
    factory = next(iter(_venues(system)))
    sync = ex.syncFactory(factory)._encode_transaction_data()
    assert system.send(ex.upgradeToAndCall(new, sync), system.admin)["status"] == "0x1"
    assert _slot(system) & LOW_20 == int(new, 16)
    assert (_table_nonce(system), _state(system)) == (nonce + 1, OPEN)
    assert _send(system, head, path)["status"] == "0x1"


def test_flags__zero_while_paused__first_sync_copies_the_pause(system, plant):
    """Zero flags (after an upgrade, or from an implementation that never wrote them) while
    Pausable says paused: the first sync deploys the next table at the proxy's real CREATE
    nonce, from the gate's, and takes the pause from Pausable, where the cache never had it."""
    head, path = _trade(system, plant)
    ex = system.executor.functions
    factory = next(iter(_venues(system)))
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    nonce = _table_nonce(system)
    _set_slot(system, IMPLEMENTATION_SLOT, _slot(system) & LOW_20)
    assert int(ex.venueTable().call(), 16) == 0
    assert _revert_data(system, head, path) == _error("EnforcedPause()")
    assert system.send(ex.syncFactory(factory), system.stranger)["status"] == "0x1"
    assert (_table_nonce(system), _state(system)) == (nonce + 1, OPEN | 1)
    assert _table_key(system) == system.keeper
    assert _revert_data(system, head, path) == _error("EnforcedPause()")
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    assert _send(system, head, path)["status"] == "0x1"


def test_flags__gate_nonce_behind_the_flags__next_table_still_found(system):
    """The implementation of 2026-11-26 (ddc15a0) kept the table's nonce in the flags only and
    left the gate's stale: the next table goes to the larger of the two, plus one."""
    ex = system.executor.functions
    nonce = _table_nonce(system)
    assert nonce > 1
    gate = _gate_word(system)
    assert gate >> 168 == nonce  # the gate keeps it now
    _set_slot(system, _gate(system), gate & (2**168 - 1))  # stale: as that implementation left it
    factory = next(iter(_venues(system)))
    assert system.send(ex.syncFactory(factory), system.stranger)["status"] == "0x1"
    assert _table_nonce(system) == nonce + 1


def _plant_record(system, nonce: int) -> None:
    """The gate's record of the last table's nonce set to `nonce`, the flags cleared."""
    gate = _gate_word(system)
    _set_slot(system, _gate(system), (gate & (2**168 - 1)) | (nonce << 168))
    _set_slot(system, IMPLEMENTATION_SLOT, _slot(system) & LOW_20)


def test_table_nonce_record_behind__the_next_table_is_found_by_a_search(system, plant):
    """A record of the last table's nonce that fell behind (an older history's, see
    test_rollback): the next table still lands at the proxy's real CREATE nonce, which the
    sync finds by searching forward from the record, and executeV2_e0 carries on."""
    head, path = _trade(system, plant)
    nonce = _table_nonce(system)
    assert nonce > 2
    factory = next(iter(_venues(system)))
    _plant_record(system, 0)  # as far behind as it can be
    ex = system.executor.functions
    r = system.send(ex.syncFactory(factory), system.stranger)
    assert r["status"] == "0x1"
    assert not system.executor.events.VenueTableNotLocated().process_receipt(r, errors=DISCARD)
    assert (_table_nonce(system), _state(system)) == (nonce + 1, OPEN)
    gate = _gate_word(system)
    assert gate >> 168 == nonce + 1  # the record caught up
    assert _send(system, head, path)["status"] == "0x1"


def test_table_not_located__registry_changes_go_on_and_executeV2_e0_shuts(system, plant):
    """A table found at none of the searched nonces (only a planted record ahead of the real
    nonce gets there: a record never runs ahead) must not make every sync revert: the
    DexRegistry calls the sync on every change, so an emergency disable would be refused too.
    executeV2_e0 shuts; execute and the allow-list carry on."""
    head, path = _trade(system, plant)
    opp = _cycle(system)
    m, ex = system.manifest, system.executor.functions
    _plant_record(system, _table_nonce(system) + 5)
    dex = m.dex(next(p.dex for p in m.pools if p.address == opp.route[1].pool))
    registry = _registry(system)
    r = system.send(registry.functions.setEnabled(dex_id(dex.id), False), system.admin)
    assert r["status"] == "0x1"
    lost = system.executor.events.VenueTableNotLocated().process_receipt(r, errors=DISCARD)
    assert len(lost) == 1 and lost[0]["args"]["table"] != lost[0]["args"]["expected"]
    assert _slot(system) >> 160 == 0 and int(ex.venueTable().call(), 16) == 0
    assert _revert_data(system, head, path) == _error("ExecutorNoVenueTable()")
    # the change reached the allow-list: the executor's copy says disabled
    assert ex.venue(dex.factory).call()[0] is False


def test_table_nonce_record_more_than_the_search_behind__shut_once_then_caught_up(
        system, plant):
    """A record more than NONCE_SEARCH (1,024) tables behind: the first sync finds its table at
    none of the nonces searched and shuts executeV2_e0, but moves the record past them (the
    table is at none, and a record is never ahead), so the next sync finds its table and
    reopens it. The gap is made with anvil_setNonce, as 1,100 syncs under an older
    implementation that did not record them would leave it."""
    head, path = _trade(system, plant)
    factory = next(iter(_venues(system)))
    ex, w3 = system.executor.functions, system.world.w3
    nonce = _table_nonce(system)
    # the proxy's account nonce is the next CREATE's: 1,100 past the one the record predicts
    w3.provider.make_request("anvil_setNonce", [system.executor.address, hex(nonce + 1 + 1_100)])
    r = system.send(ex.syncFactory(factory), system.stranger)
    assert r["status"] == "0x1"
    assert len(system.executor.events.VenueTableNotLocated().process_receipt(
        r, errors=DISCARD)) == 1
    assert _slot(system) >> 160 == 0
    gate = _gate_word(system)
    assert (gate >> 168) & 0xFFFFFFFF == nonce + 1_024  # past every nonce searched
    r = system.send(ex.syncFactory(factory), system.stranger)
    assert r["status"] == "0x1"
    assert (_table_nonce(system), _state(system)) == (nonce + 1 + 1_101, OPEN)
    assert _send(system, head, path)["status"] == "0x1"
