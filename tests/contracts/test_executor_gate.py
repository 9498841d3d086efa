"""FlashArbExecutor's gate: one slot that lets the first EXECUTOR key through execute's role
and pause checks on one SLOAD. It is a copy; AccessControl and Pausable stay the authority, so
every change to either must reach it, and every other key takes the full checks.

An execute with an empty route reverts ExecutorBadRoute only after both checks pass: that is
the probe for "let through" here (tests/executor runs real trades)."""

from __future__ import annotations

from tests.contracts.reverts import MINED, reverts

ZERO = "0x" + "00" * 20


def _execute(executor, who):
    return executor.execute(0, ZERO, 1, 0, 2**40, False, b"", sender=who, **MINED)


def _let_through(executor, who) -> None:
    with reverts(executor.ExecutorBadRoute, mined=True):
        _execute(executor, who)


def test_gate__first_executor_grant__holds_that_key_only(executor, admin, accounts):
    keeper, second = accounts[8], accounts[7]
    assert executor.gateKey() == ZERO
    executor.grantRole(executor.EXECUTOR_ROLE(), keeper, sender=admin)
    executor.grantRole(executor.EXECUTOR_ROLE(), second, sender=admin)
    assert executor.gateKey() == keeper.address  # the first grant; later ones keep it
    _let_through(executor, keeper)
    _let_through(executor, second)  # through AccessControl itself
    executor.grantRole(executor.GUARDIAN_ROLE(), accounts[6], sender=admin)
    assert executor.gateKey() == keeper.address  # another role's grant does not touch it


def test_gate__key_revoked_or_renounced__refused_and_the_gate_empties(executor, admin, accounts):
    keeper, second = accounts[8], accounts[7]
    for who in (keeper, second):
        executor.grantRole(executor.EXECUTOR_ROLE(), who, sender=admin)
    executor.revokeRole(executor.EXECUTOR_ROLE(), keeper, sender=admin)
    assert executor.gateKey() == ZERO
    with reverts(executor.AccessControlUnauthorizedAccount, mined=True):
        _execute(executor, keeper)
    _let_through(executor, second)
    # granting a role already held fills an empty gate too: how an admin gives the keeper its
    # gate back after an upgrade from an implementation without one
    executor.grantRole(executor.EXECUTOR_ROLE(), second, sender=admin)
    assert executor.gateKey() == second.address
    executor.revokeRole(executor.EXECUTOR_ROLE(), second, sender=admin)
    assert executor.gateKey() == ZERO
    # the next grant takes the empty gate; its holder giving the role up empties it again
    executor.grantRole(executor.EXECUTOR_ROLE(), keeper, sender=admin)
    assert executor.gateKey() == keeper.address
    executor.renounceRole(executor.EXECUTOR_ROLE(), keeper, sender=keeper)
    assert executor.gateKey() == ZERO
    with reverts(executor.AccessControlUnauthorizedAccount, mined=True):
        _execute(executor, keeper)
    # revoking another key leaves the gate's key alone
    executor.grantRole(executor.EXECUTOR_ROLE(), keeper, sender=admin)
    executor.grantRole(executor.EXECUTOR_ROLE(), second, sender=admin)
    executor.revokeRole(executor.EXECUTOR_ROLE(), second, sender=admin)
    assert executor.gateKey() == keeper.address
    _let_through(executor, keeper)


def test_gate__paused__its_key_refused_until_unpaused(executor, admin, accounts):
    keeper, second, stranger = accounts[8], accounts[7], accounts[5]
    for who in (keeper, second):
        executor.grantRole(executor.EXECUTOR_ROLE(), who, sender=admin)
    executor.pause(sender=admin)
    for who in (keeper, second):
        with reverts(executor.EnforcedPause, mined=True):
            _execute(executor, who)
    with reverts(executor.AccessControlUnauthorizedAccount, mined=True):
        _execute(executor, stranger)  # the role is checked first, paused or not
    executor.unpause(sender=admin)
    _let_through(executor, keeper)


def test_gate__key_granted_while_paused__copies_the_pause(executor, admin, accounts):
    keeper = accounts[8]
    executor.pause(sender=admin)
    executor.grantRole(executor.EXECUTOR_ROLE(), keeper, sender=admin)
    assert executor.gateKey() == keeper.address
    with reverts(executor.EnforcedPause, mined=True):
        _execute(executor, keeper)
    executor.unpause(sender=admin)
    _let_through(executor, keeper)
    executor.pause(sender=admin)  # and a pause after the grant reaches it too
    with reverts(executor.EnforcedPause, mined=True):
        _execute(executor, keeper)
