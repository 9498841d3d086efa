"""DexRegistry: validation, events, roles, pause, UUPS upgrades that keep state."""

from __future__ import annotations

import ape
from eth_utils import keccak

ID = b"uniswap-v2".ljust(32, b"\0")
ID2 = b"sushiswap".ljust(32, b"\0")
HASH = keccak(b"pair creation code")


def test_register__valid__stored_enabled_and_event_emitted(dex_registry, factory, admin):
    tx = dex_registry.register(ID, 0, factory, admin, 30, HASH, sender=admin)
    events = tx.decode_logs(dex_registry.DexRegistered)
    assert len(events) == 1 and events[0].factory == factory.address and events[0].feeBps == 30
    dex = dex_registry.getDex(ID)
    assert (dex.kind, dex.enabled, dex.feeBps, dex.factory) == (0, True, 30, factory.address)
    assert dex_registry.dexIds() == [ID]
    assert dex_registry.factoryInfo(factory).enabled is True


def test_register__bad_input__reverts_with_reason(dex_registry, factory, admin):
    zero = "0x" + "0" * 40
    with ape.reverts(dex_registry.DexRegistryZeroAddress):
        dex_registry.register(ID, 0, zero, admin, 30, HASH, sender=admin)
    with ape.reverts(dex_registry.DexRegistryNoCode):
        dex_registry.register(ID, 0, admin.address, admin, 30, HASH, sender=admin)
    with ape.reverts(dex_registry.DexRegistryFeeOutOfRange):
        dex_registry.register(ID, 0, factory, admin, 1001, HASH, sender=admin)
    with ape.reverts(dex_registry.DexRegistryZeroId):
        dex_registry.register(b"\0" * 32, 0, factory, admin, 30, HASH, sender=admin)
    dex_registry.register(ID, 0, factory, admin, 30, HASH, sender=admin)
    with ape.reverts(dex_registry.DexRegistryDuplicate):
        dex_registry.register(ID, 0, factory, admin, 30, HASH, sender=admin)
    with ape.reverts(dex_registry.DexRegistryFactoryTaken):
        dex_registry.register(ID2, 0, factory, admin, 30, HASH, sender=admin)
    assert dex_registry.dexCount() == 1


def test_set_enabled__disable__factory_info_says_disabled(dex_registry, factory, admin):
    dex_registry.register(ID, 1, factory, admin, 0, HASH, sender=admin)
    tx = dex_registry.setEnabled(ID, False, sender=admin)
    assert not tx.decode_logs(dex_registry.DexEnabledSet)[0].enabled
    assert dex_registry.factoryInfo(factory).enabled is False
    with ape.reverts(dex_registry.DexRegistryUnknown):
        dex_registry.setEnabled(ID2, True, sender=admin)


def test_register__caller_not_registrar__reverts(dex_registry, factory, stranger):
    with ape.reverts(dex_registry.AccessControlUnauthorizedAccount):
        dex_registry.register(ID, 0, factory, stranger, 30, HASH, sender=stranger)
