"""Rollbacks to real older implementations and back. The gate (execute's copy of the role and
the pause) and the flags (executeV2_e0's, in the ERC-1967 slot's high bytes) are caches; an
implementation that does not know them leaves them as they were while it revokes or pauses.
These tests upgrade the proxy to FlashArbExecutor as it was compiled at older commits
(tests/executor/legacy, built by toolchain/legacy_executor.py), act under it, upgrade forward
and check that no cache outlives its authority: a key revoked in between never passes, a
pause made in between holds, and the table's nonce is not lost."""

from __future__ import annotations

import json
from pathlib import Path

from eth_abi import encode

from keeper.chain.anvil import wait_receipt
from keeper.onchain.route import SOURCES, encode_route
from tests.executor.test_execute_v2 import _cycle, _error, _revert_data, _send, _venues
from tests.executor.test_flags import (
    OPEN,
    _gate_word,
    _implementation,
    _slot,
    _state,
    _table_nonce,
    _trade,
)

LEGACY = Path(__file__).parent / "legacy"
FAR = 2**31 - 1
ZERO = "0x" + "00" * 20


def _legacy(system, commit: str) -> str:
    """Deploy FlashArbExecutor as compiled at `commit`, with the proxy's immutables."""
    w3, m = system.world.w3, system.manifest
    built = json.loads((LEGACY / f"{commit}.json").read_text())
    args = encode(["address", "address"], [m.system.dex_registry, m.balancer_vault])
    r = wait_receipt(w3, w3.eth.send_transaction(
        {"from": system.admin, "data": built["bytecode"] + args.hex()}))
    assert r["status"] == "0x1"
    return w3.to_checksum_address(r["contractAddress"])


def _upgrade(system, implementation: str, data: bytes = b"") -> None:
    ex = system.executor.functions
    assert system.send(ex.upgradeToAndCall(implementation, data), system.admin)["status"] == "0x1"
    assert _slot(system) & (2**160 - 1) == int(implementation, 16)


def _v2_factory(system) -> str:
    """A V2 venue's factory, read while the current implementation (with venueIndex) runs."""
    return next(iter(_venues(system)))


def _sync_call(system, factory: str) -> bytes:
    return system.executor.functions.syncFactory(factory)._encode_transaction_data()


def _sync(system, factory: str) -> None:
    ex = system.executor.functions
    assert system.send(ex.syncFactory(factory), system.stranger)["status"] == "0x1"


def _execute_error(system, opp, sender: str) -> bytes | None:
    """What execute (the ABI entry point) answers `sender` with: None when it would pass."""
    call = system.executor.functions.execute(SOURCES["balancer"], ZERO, opp.amount_in, 0, FAR,
                                             False, encode_route(opp, system.manifest))
    tx = call.build_transaction({"from": sender, "gas": 3_000_000})
    try:
        system.world.w3.eth.call(tx)
    except Exception as e:  # ContractLogicError carries the revert data
        data = getattr(e, "data", None)
        return bytes.fromhex(data[2:]) if isinstance(data, str) else b"?"
    return None


def _unauthorized(system, who: str) -> bytes:
    role = system.executor.functions.EXECUTOR_ROLE().call()
    return _error("AccessControlUnauthorizedAccount(address,bytes32)", int(who, 16),
                  int.from_bytes(role, "big"))


def test_rollback_before_the_gate__key_revoked_there__refused_after_upgrading_forward(
        system, plant):
    """f56ea24 predates the gate: a revoke under it leaves the gate naming the key. The sync
    that the forward upgrade runs must not write that key into the new table's head."""
    head, path = _trade(system, plant)
    factory = _v2_factory(system)
    opp = _cycle(system)
    ex = system.executor.functions
    assert _execute_error(system, opp, system.keeper) is None  # passes before
    _upgrade(system, _legacy(system, "f56ea24"))
    role = ex.EXECUTOR_ROLE().call()
    assert system.send(ex.revokeRole(role, system.keeper), system.admin)["status"] == "0x1"
    _upgrade(system, _implementation(system), _sync_call(system, factory))
    assert _table_nonce(system) > 0 and _state(system) == OPEN | 2  # a table, with no key
    assert int(ex.gateKey().call(), 16) == 0
    assert _revert_data(system, head, path) == _unauthorized(system, system.keeper)
    assert _execute_error(system, opp, system.keeper) == _unauthorized(system, system.keeper)
    # the next EXECUTOR granted takes the head, and passes
    assert system.send(ex.grantRole(role, system.stranger), system.admin)["status"] == "0x1"
    assert _state(system) == OPEN
    assert _send(system, head, path, system.stranger)["status"] == "0x1"


def test_rollback_before_the_gate__paused_and_revoked_there__gate_stays_closed(system, plant):
    """The upgrade out marks the gate paused, so execute takes the full checks however long
    an older implementation runs; an unpause reopens it only for a key that still holds the
    role. No sync in between: nothing else refreshes the gate."""
    head, path = _trade(system, plant)
    opp = _cycle(system)
    ex = system.executor.functions
    _upgrade(system, _legacy(system, "f56ea24"))
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    _upgrade(system, _implementation(system))
    # paused under the old implementation: the gate's key is refused too
    assert _execute_error(system, opp, system.keeper) == _error("EnforcedPause()")
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    assert ex.gateKey().call() == system.keeper  # still an EXECUTOR: kept
    assert _execute_error(system, opp, system.keeper) is None
    # again, now revoking under the old implementation as well
    _upgrade(system, _legacy(system, "f56ea24"))
    role = ex.EXECUTOR_ROLE().call()
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    assert system.send(ex.revokeRole(role, system.keeper), system.admin)["status"] == "0x1"
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    _upgrade(system, _implementation(system))
    assert _execute_error(system, opp, system.keeper) == _unauthorized(system, system.keeper)
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    assert int(ex.gateKey().call(), 16) == 0  # dropped by the unpause's refresh
    assert _execute_error(system, opp, system.keeper) == _unauthorized(system, system.keeper)
    assert _revert_data(system, head, path) == _unauthorized(system, system.keeper)


def test_flags_left_open_by_an_older_implementation__fail_closed(system, plant):
    """ddc15a0 wrote the same flags layout with no OPEN bit (zero meant open); a880f33 does not
    know the flags, so a revoke under it leaves ddc15a0's flags pointing at a head that names
    the revoked key. Upgrading forward without a sync must not honour them."""
    head, path = _trade(system, plant)
    factory = _v2_factory(system)
    ex = system.executor.functions
    _upgrade(system, _legacy(system, "ddc15a0"))
    _sync(system, factory)
    assert _state(system) == 0 and _table_nonce(system) > 0  # ddc15a0's: open, by its rules
    _upgrade(system, _legacy(system, "a880f33"))
    role = ex.EXECUTOR_ROLE().call()
    assert system.send(ex.revokeRole(role, system.keeper), system.admin)["status"] == "0x1"
    assert _state(system) == 0  # untouched by a880f33
    _upgrade(system, _implementation(system))
    assert _revert_data(system, head, path) == _unauthorized(system, system.keeper)
    # a sync rebuilds them from the authorities: a table with no key, closed
    _sync(system, factory)
    assert _state(system) == OPEN | 2
    assert _revert_data(system, head, path) == _unauthorized(system, system.keeper)


def test_table_nonce_only_in_the_flags__two_upgrades_without_a_sync__syncs_still_work(
        system, plant):
    """ddc15a0 kept the last table's nonce in the flags alone. The implementation after it
    clears the flags as it upgrades out; it moves the nonce into the gate first, so that the
    record stays exact (else the next sync has to search for the nonce, and past its bound
    shuts executeV2_e0)."""
    head, path = _trade(system, plant)
    factory = _v2_factory(system)
    _upgrade(system, _legacy(system, "ddc15a0"))
    _sync(system, factory)
    _sync(system, factory)
    nonce = _table_nonce(system)
    _upgrade(system, _implementation(system))  # ddc15a0 upgrades out: the flags stay
    _upgrade(system, _implementation(system))  # this one clears them
    assert _slot(system) >> 160 == 0
    gate = _gate_word(system)
    assert (gate >> 168) & 0xFFFFFFFF == nonce  # moved into the gate on the way out
    _sync(system, factory)
    assert (_table_nonce(system), _state(system)) == (nonce + 1, OPEN)
    assert _send(system, head, path)["status"] == "0x1"


def test_rollback_through_two_older_implementations__execute_gate_stays_closed(system, plant):
    """An implementation that knows the gate but predates its GATE_OPEN state (a880f33 kept a
    bool there) reopens it on an unpause without checking the key; one before the gate
    (f56ea24) pauses or revokes without touching it. Through both, and forward without a sync,
    the gate must not pass a revoked key, nor any key while paused. Found by a third review,
    reproduced on anvil before the fix."""
    head, path = _trade(system, plant)
    opp = _cycle(system)
    ex = system.executor.functions
    role = ex.EXECUTOR_ROLE().call()
    current = _implementation(system)
    # a revoked key: revoked under f56ea24, the gate reopened by a880f33's unpause
    _upgrade(system, _legacy(system, "f56ea24"))
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    assert system.send(ex.revokeRole(role, system.keeper), system.admin)["status"] == "0x1"
    _upgrade(system, _legacy(system, "a880f33"))
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    _upgrade(system, current)
    assert ex.gateKey().call() == system.keeper  # a880f33 left the key: the state must hold
    assert _execute_error(system, opp, system.keeper) == _unauthorized(system, system.keeper)
    assert _revert_data(system, head, path) == _unauthorized(system, system.keeper)
    # a pause: the gate reopened by a880f33's unpause, the pause made under f56ea24
    assert system.send(ex.grantRole(role, system.keeper), system.admin)["status"] == "0x1"
    assert _execute_error(system, opp, system.keeper) is None
    _upgrade(system, _legacy(system, "a880f33"))
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    _upgrade(system, _legacy(system, "f56ea24"))
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    _upgrade(system, _implementation(system))
    assert ex.paused().call() is True
    assert _execute_error(system, opp, system.keeper) == _error("EnforcedPause()")
    assert _revert_data(system, head, path) == _error("EnforcedPause()")
    # the unpause reopens the gate from the authorities: the keeper holds the role again
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    assert _execute_error(system, opp, system.keeper) is None


def test_rollback_to_an_implementation_with_the_bool_gate__it_reads_the_gate_closed(
        system, plant):
    """Implementations before GATE_OPEN read the gate's state byte as `bool paused` and let
    its key through on 0. Closed is written as 1, which they read as paused: a rollback while
    paused (an emergency's usual order), or after a revoke that did not reach the gate, must
    not reopen execute under them. Found by a fourth review, reproduced on anvil."""
    _trade(system, plant)
    opp = _cycle(system)
    ex = system.executor.functions
    role = ex.EXECUTOR_ROLE().call()
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    _upgrade(system, _legacy(system, "a880f33"))
    assert ex.paused().call() is True
    assert _execute_error(system, opp, system.keeper) == _error("EnforcedPause()")
    assert system.send(ex.unpause(), system.admin)["status"] == "0x1"
    assert _execute_error(system, opp, system.keeper) is None  # a880f33's own gate again
    # a revoke under f56ea24 that a880f33 then inherits: the gate closed by the way out
    _upgrade(system, _implementation(system))
    _upgrade(system, _legacy(system, "f56ea24"))
    assert system.send(ex.revokeRole(role, system.keeper), system.admin)["status"] == "0x1"
    _upgrade(system, _legacy(system, "a880f33"))
    assert _execute_error(system, opp, system.keeper) == _unauthorized(system, system.keeper)
