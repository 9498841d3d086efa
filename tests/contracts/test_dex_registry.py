"""DexRegistry: validation, events, roles, pause, UUPS upgrades that keep state."""

from __future__ import annotations

from eth_utils import keccak

from tests.contracts.reverts import MINED, reverts

ID = b"uniswap-v2".ljust(32, b"\0")
ID2 = b"sushiswap".ljust(32, b"\0")
HASH = keccak(b"pair creation code")


def test_register__valid__stored_enabled_and_event_emitted(dex_registry, factory, admin):
    tx = dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin)
    events = tx.decode_logs(dex_registry.DexRegistered)
    assert len(events) == 1
    # every field, so that the registry's history can be rebuilt from its events alone
    assert (events[0].id, events[0].kind, events[0].factory, events[0].router,
            events[0].feeBps, events[0].initCodeHash) == (ID, 0, factory.address,
                                                          factory.address, 30, HASH)
    dex = dex_registry.getDex(ID)
    assert (dex.kind, dex.enabled, dex.feeBps, dex.factory) == (0, True, 30, factory.address)
    assert dex_registry.dexIds() == [ID]
    assert dex_registry.factoryInfo(factory).enabled is True


def test_register__bad_input__reverts_with_reason(dex_registry, factory, admin):
    zero = "0x" + "0" * 40
    with reverts(dex_registry.DexRegistryZeroAddress):
        dex_registry.register(ID, 0, zero, factory, 30, HASH, sender=admin)
    with reverts(dex_registry.DexRegistryNoCode):
        dex_registry.register(ID, 0, admin.address, factory, 30, HASH, sender=admin)
    with reverts(dex_registry.DexRegistryFeeOutOfRange):
        dex_registry.register(ID, 0, factory, factory, 1001, HASH, sender=admin)
    with reverts(dex_registry.DexRegistryZeroId):
        dex_registry.register(b"\0" * 32, 0, factory, factory, 30, HASH, sender=admin)
    dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin)
    with reverts(dex_registry.DexRegistryDuplicate, mined=True):
        dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin, **MINED)
    with reverts(dex_registry.DexRegistryFactoryTaken, mined=True):
        dex_registry.register(ID2, 0, factory, factory, 30, HASH, sender=admin, **MINED)
    assert dex_registry.dexCount() == 1


def test_set_enabled__disable__factory_info_says_disabled(dex_registry, factory, admin):
    dex_registry.register(ID, 1, factory, factory, 0, HASH, sender=admin)
    tx = dex_registry.setEnabled(ID, False, sender=admin)
    assert not tx.decode_logs(dex_registry.DexEnabledSet)[0].enabled
    assert dex_registry.factoryInfo(factory).enabled is False
    with reverts(dex_registry.DexRegistryUnknown):
        dex_registry.setEnabled(ID2, True, sender=admin)


def test_register__caller_not_registrar__reverts(dex_registry, factory, stranger):
    with reverts(dex_registry.AccessControlUnauthorizedAccount):
        dex_registry.register(ID, 0, factory, stranger, 30, HASH, sender=stranger)


def test_register_or_update__router_hash_or_fee_unfit_for_the_kind__reverts(
        dex_registry, factory, admin):
    """The router must be a contract; V2 and V3 need the init-code hash the executor derives
    pools from; a DEX-wide fee only means something for a V2 fork."""
    zero, none = "0x" + "0" * 40, b"\0" * 32
    with reverts(dex_registry.DexRegistryZeroAddress):
        dex_registry.register(ID, 0, factory, zero, 30, HASH, sender=admin)
    with reverts(dex_registry.DexRegistryNoCode):
        dex_registry.register(ID, 0, factory, admin.address, 30, HASH, sender=admin)
    for kind in (0, 1):
        with reverts(dex_registry.DexRegistryNoInitCodeHash):
            dex_registry.register(ID, kind, factory, factory, 0, none, sender=admin)
    for kind in (1, 2):
        with reverts(dex_registry.DexRegistryFeeOutOfRange, mined=True):
            dex_registry.register(ID, kind, factory, factory, 1, HASH, sender=admin, **MINED)
    assert dex_registry.dexCount() == 0
    dex_registry.register(ID, 2, factory, factory, 0, none, sender=admin)  # Balancer: no hash
    # update holds the same rules, against the registered kind (Balancer here)
    with reverts(dex_registry.DexRegistryFeeOutOfRange):
        dex_registry.update(ID, factory, 30, none, sender=admin)
    with reverts(dex_registry.DexRegistryZeroAddress):
        dex_registry.update(ID, zero, 0, none, sender=admin)
    with reverts(dex_registry.DexRegistryUnknown):
        dex_registry.update(ID2, factory, 0, none, sender=admin)
    # Balancer's pools are ids in the Vault: a hash would only be a wrong key downstream
    with reverts(dex_registry.DexRegistryUnexpectedInitCodeHash, mined=True):
        dex_registry.update(ID, factory, 0, HASH, sender=admin, **MINED)
    assert dex_registry.getDex(ID).initCodeHash == none
    with reverts(dex_registry.DexRegistryUnexpectedInitCodeHash):
        dex_registry.register(ID2, 2, dex_registry, factory, 0, HASH, sender=admin)


def test_update__router_without_code_or_v2_without_hash__reverts_and_keeps_the_entry(
        dex_registry, factory, admin):
    dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin)
    with reverts(dex_registry.DexRegistryNoCode, mined=True):
        dex_registry.update(ID, admin.address, 30, HASH, sender=admin, **MINED)
    with reverts(dex_registry.DexRegistryNoInitCodeHash, mined=True):
        dex_registry.update(ID, factory, 30, b"\0" * 32, sender=admin, **MINED)
    dex = dex_registry.getDex(ID)
    assert (dex.router, dex.initCodeHash) == (factory.address, HASH)


def test_register__several__ids_in_registration_order(dex_registry, project, admin):
    ids = [b"b-dex".ljust(32, b"\0"), b"a-dex".ljust(32, b"\0"), b"c-dex".ljust(32, b"\0")]
    for dex_id in ids:
        factory = admin.deploy(project.MockAggregator, 8, 1)  # any contract: a distinct factory
        dex_registry.register(dex_id, 0, factory, factory, 30, HASH, sender=admin)
    assert dex_registry.dexIds() == ids
    assert dex_registry.dexCount() == 3


def test_update__valid__stored_and_event_emitted(dex_registry, factory, project, admin):
    router = admin.deploy(project.MockAggregator, 8, 2)
    dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin)
    new_hash = keccak(b"another pair creation code")
    tx = dex_registry.update(ID, router, 25, new_hash, sender=admin)
    event = tx.decode_logs(dex_registry.DexUpdated)[0]
    assert (event.router, event.feeBps, event.initCodeHash) == (router.address, 25, new_hash)
    dex = dex_registry.getDex(ID)
    assert (dex.router, dex.feeBps, dex.initCodeHash, dex.factory, dex.kind) == (
        router.address, 25, new_hash, factory.address, 0)
    assert dex_registry.factoryInfo(factory).initCodeHash == new_hash


def test_update_set_enabled_or_listener__caller_without_role__reverts(
        dex_registry, factory, admin, stranger):
    dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin)
    with reverts(dex_registry.AccessControlUnauthorizedAccount, mined=True):
        dex_registry.update(ID, factory, 25, HASH, sender=stranger, **MINED)
    with reverts(dex_registry.AccessControlUnauthorizedAccount, mined=True):
        dex_registry.setEnabled(ID, False, sender=stranger, **MINED)
    with reverts(dex_registry.AccessControlUnauthorizedAccount, mined=True):
        dex_registry.setListener(stranger, sender=stranger, **MINED)
    assert dex_registry.getDex(ID).enabled is True and dex_registry.getDex(ID).feeBps == 30
    assert dex_registry.listener() != stranger.address


def test_set_enabled__curator__switches_listings_but_cannot_list_or_edit(
        dex_registry, factory, admin, stranger, guardian):
    # the dashboard's key holds CURATOR: if the web process falls, it can choose only among
    # listings a registrar vetted, never list a factory whose pools would call back for funds
    dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin)
    curator = stranger
    dex_registry.grantRole(dex_registry.CURATOR_ROLE(), curator, sender=admin)
    tx = dex_registry.setEnabled(ID, False, sender=curator)
    assert not tx.decode_logs(dex_registry.DexEnabledSet)[0].enabled
    assert dex_registry.factoryInfo(factory).enabled is False
    dex_registry.setEnabled(ID, True, sender=curator)
    assert dex_registry.factoryInfo(factory).enabled is True
    for attempt in (lambda: dex_registry.register(ID2, 0, guardian, factory, 30, HASH,
                                                  sender=curator),
                    lambda: dex_registry.update(ID, factory, 30, keccak(b"other code"),
                                                sender=curator)):
        with reverts(dex_registry.AccessControlUnauthorizedAccount) as revert:
            attempt()
        assert bytes(revert.value.inputs["neededRole"]) == bytes(dex_registry.REGISTRAR_ROLE())
    # one without either role is told which role would let it switch
    with reverts(dex_registry.AccessControlUnauthorizedAccount) as revert:
        dex_registry.setEnabled(ID, False, sender=guardian)
    assert bytes(revert.value.inputs["neededRole"]) == bytes(dex_registry.CURATOR_ROLE())


def test_set_enabled__disabled_by_a_registrar__curator_cannot_enable_it(
        dex_registry, factory, admin, stranger):
    # a registrar's withdrawal of trust (a factory found hostile) outlasts the dashboard's key
    dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin)
    curator = stranger
    dex_registry.grantRole(dex_registry.CURATOR_ROLE(), curator, sender=admin)
    tx = dex_registry.setEnabled(ID, False, sender=admin)
    assert [(e.id, e.held) for e in tx.decode_logs(dex_registry.DexHeldSet)] == [(ID, True)]
    assert dex_registry.held(ID)
    with reverts(dex_registry.DexRegistryHeld, mined=True):
        dex_registry.setEnabled(ID, True, sender=curator, **MINED)
    assert dex_registry.factoryInfo(factory).enabled is False
    dex_registry.setEnabled(ID, False, sender=curator)  # disabling stays open to it
    tx = dex_registry.setEnabled(ID, True, sender=admin)  # the registrar lifts the hold
    assert [(e.id, e.held) for e in tx.decode_logs(dex_registry.DexHeldSet)] == [(ID, False)]
    assert not dex_registry.held(ID)
    dex_registry.setEnabled(ID, False, sender=curator)  # the curator's own disable: no hold
    assert not dex_registry.held(ID)
    dex_registry.setEnabled(ID, True, sender=curator)
    assert dex_registry.factoryInfo(factory).enabled is True


def test_set_listener__admin__stored_and_event_emitted(dex_registry, factory, admin):
    tx = dex_registry.setListener(factory, sender=admin)
    assert tx.decode_logs(dex_registry.DexListenerSet)[0].listener == factory.address
    assert dex_registry.listener() == factory.address


def test_set_listener__account_without_code__reverts_zero_turns_it_off(
        dex_registry, factory, admin, stranger):
    # an EOA listener would make every change revert, the registrar's emergency disable too
    with reverts(dex_registry.DexRegistryNoCode, mined=True):
        dex_registry.setListener(stranger, sender=admin, **MINED)
    assert int(dex_registry.listener(), 16) == 0
    dex_registry.setListener(factory, sender=admin)
    dex_registry.setListener("0x" + "00" * 20, sender=admin)
    assert int(dex_registry.listener(), 16) == 0


def test_set_enabled__paused__disable_allowed_enable_refused(dex_registry, factory, admin):
    dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin)
    dex_registry.pause(sender=admin)
    dex_registry.setEnabled(ID, False, sender=admin)
    assert dex_registry.factoryInfo(factory).enabled is False
    with reverts(dex_registry.EnforcedPause, mined=True):
        dex_registry.setEnabled(ID, True, sender=admin, **MINED)
    with reverts(dex_registry.EnforcedPause, mined=True):
        dex_registry.update(ID, factory, 25, HASH, sender=admin, **MINED)
    assert dex_registry.factoryInfo(factory).enabled is False
    assert dex_registry.getDex(ID).feeBps == 30
