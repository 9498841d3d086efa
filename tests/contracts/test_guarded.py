"""The rules all three contracts share (GuardedUpgradeable), checked on each of them: locked
implementations, one initialization, UPGRADER-gated UUPS upgrades that keep every field, the
guardian's pause that only the admin lifts, and ERC-7201 storage locations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from ape.exceptions import ContractLogicError
from eth_utils import keccak

from keeper.onchain.storage import IMPLEMENTATION_SLOT, erc7201_location
from tests.contracts.conftest import deploy_behind_proxy
from tests.contracts.reverts import MINED, assert_mined_and_failed, reverts

ID = b"uniswap-v2".ljust(32, b"\0")
HASH = keccak(b"pair creation code")
TOKEN = "0x" + "11" * 20
NAMES = ("DexRegistry", "PriceFeedRegistry", "FlashArbExecutor")


@dataclass
class Subject:
    """One contract behind its proxy, and what the shared rules need to know about it."""

    name: str
    contract: object  # the proxy, typed as the implementation
    constructor_args: tuple
    # a state-changing path the pause must block, and the revert it gives when unpaused
    # (None: it succeeds); the executor's path needs a world to succeed, so an empty route
    # shows that it got past the pause
    change: Callable[[], object]  # by an account allowed to
    unpaused_revert: str | None
    write_state: Callable[[], None]
    read_state: Callable[[object], object]
    # the implementation an upgrade installs, and what shows that it is the one now running
    upgrade_to: str
    upgrade_args: tuple
    check_upgraded: Callable[[object], None]


def _check_new_field(upgraded, admin, guardian) -> None:
    """Each contract's V2 implementation adds a field in a namespace of its own."""
    assert upgraded.version() == 2
    upgraded.setNote(b"hello".ljust(32, b"\0"), sender=admin)
    assert upgraded.note() == b"hello".ljust(32, b"\0")
    with reverts(upgraded.AccessControlUnauthorizedAccount):
        upgraded.setNote(b"mine".ljust(32, b"\0"), sender=guardian)


@pytest.fixture(params=NAMES)
def subject(request, project, admin, guardian, accounts, dex_registry, factory):
    keeper = accounts[8]
    if request.param == "DexRegistry":
        c = dex_registry

        def register() -> None:
            c.register(ID, 0, factory, factory, 30, HASH, sender=admin)

        return Subject(
            "DexRegistry", c, (),
            change=register, unpaused_revert=None, write_state=register,
            read_state=lambda u: (u.getDex(ID).factory, u.getDex(ID).initCodeHash, u.dexCount()),
            upgrade_to="DexRegistryV2", upgrade_args=(),
            check_upgraded=lambda u: _check_new_field(u, admin, guardian))
    # each case deploys only the contracts its subject needs
    feed_registry = request.getfixturevalue("feed_registry")
    if request.param == "PriceFeedRegistry":
        c = feed_registry
        feed = admin.deploy(project.MockAggregator, 8, 3000_00000000)

        def set_feed() -> None:
            c.setFeed(TOKEN, feed, 3600, 200, sender=admin)

        return Subject(
            "PriceFeedRegistry", c, (),
            change=set_feed, unpaused_revert=None, write_state=set_feed,
            read_state=lambda u: (tuple(u.getFeed(TOKEN)), u.latestPrice(TOKEN)[0], u.tokens()),
            upgrade_to="PriceFeedRegistryV2", upgrade_args=(),
            check_upgraded=lambda u: _check_new_field(u, admin, guardian))
    c = request.getfixturevalue("executor")
    c.grantRole(c.EXECUTOR_ROLE(), keeper, sender=admin)
    other_vault = admin.deploy(project.MockAggregator, 8, 1)

    def write_executor_state() -> None:
        dex_registry.register(ID, 0, factory, factory, 30, HASH, sender=admin)
        c.syncFactory(factory, sender=admin)
        c.setAavePool(factory, sender=admin)
        c.setPriceFeeds(feed_registry, sender=admin)

    def check_executor_upgraded(u) -> None:
        # immutables live in the implementation's code: the new one's vault is in effect
        assert u.vault() == other_vault.address
        assert u.registry() == dex_registry.address
        # executeV2_e0 finds no table until the first sync rebuilds it from the registry
        assert int(u.venueTable(), 16) == 0
        c.syncFactory(factory, sender=admin)
        assert int(u.venueTable(), 16) != 0
        _check_new_field(u, admin, guardian)

    return Subject(
        "FlashArbExecutor", c, (dex_registry.address, factory.address),
        change=lambda: c.execute(0, "0x" + "00" * 20, 1, 0, 2**40, False, b"", sender=keeper),
        unpaused_revert="ExecutorBadRoute",
        write_state=write_executor_state,
        read_state=lambda u: (tuple(u.listing(factory, HASH)), tuple(u.venue(factory)),
                              u.aavePool(), u.priceFeeds(),
                              u.hasRole(u.EXECUTOR_ROLE(), keeper), u.gateKey()),
        upgrade_to="FlashArbExecutorV2",
        upgrade_args=(dex_registry.address, other_vault.address),
        check_upgraded=check_executor_upgraded)


def _upgraded_to(tx) -> list[int]:
    """The implementations in the receipt's ERC-1967 `Upgraded` events (the ABI declares the
    event twice, IERC1967's and ERC1967Utils', so ape cannot decode it by name)."""
    topic = keccak(text="Upgraded(address)")
    return [int.from_bytes(bytes(log["topics"][1]), "big") for log in tx.logs
            if bytes(log["topics"][0]) == topic]


def _slot(chain, address) -> int:
    return int.from_bytes(bytes(chain.provider.get_storage(address, IMPLEMENTATION_SLOT)), "big")


def _implementation(chain, address) -> int:
    """The slot's low 20 bytes, as the proxy reads it: the executor keeps flags in the rest."""
    return _slot(chain, address) & (2**160 - 1)


def test_initialize__twice_or_on_implementation__reverts(project, subject, admin, stranger):
    with reverts(subject.contract.InvalidInitialization, mined=True):
        subject.contract.initialize(stranger, sender=stranger, **MINED)
    implementation = admin.deploy(getattr(project, subject.name), *subject.constructor_args)
    with reverts(implementation.InvalidInitialization, mined=True):
        implementation.initialize(stranger, sender=stranger, **MINED)
    assert not subject.contract.hasRole(b"\0" * 32, stranger)
    assert not implementation.hasRole(b"\0" * 32, stranger)


def test_initialize__zero_admin__reverts(project, subject, admin):
    # every role would be left without a holder, and no one could grant, unpause or upgrade
    implementation = admin.deploy(getattr(project, subject.name), *subject.constructor_args)
    with reverts(implementation.GuardedZeroAdmin):
        admin.deploy(project.FlashkeeperProxy, implementation.address,
                     implementation.initialize.encode_input("0x" + "00" * 20))


def test_initialize__in_the_deploying_transaction__admin_holds_every_role(
        project, subject, admin, chain):
    container = getattr(project, subject.name)
    implementation = admin.deploy(container, *subject.constructor_args)
    proxy = admin.deploy(project.FlashkeeperProxy, implementation.address,
                         implementation.initialize.encode_input(admin.address))
    # no window between deployment and initialization for anyone else to initialize first
    c = container.at(proxy.address)
    initialized = chain.get_receipt(proxy.txn_hash).decode_logs(c.Initialized)
    assert [log.version for log in initialized] == [1]
    for role in ("DEFAULT_ADMIN_ROLE", "UPGRADER_ROLE", "GUARDIAN_ROLE"):
        assert c.hasRole(getattr(c, role)(), admin), role
    assert not implementation.hasRole(implementation.DEFAULT_ADMIN_ROLE(), admin)


def test_upgrade__to_a_new_implementation__keeps_every_field(project, subject, admin, guardian,
                                                            chain):
    c = subject.contract
    subject.write_state()
    c.grantRole(c.GUARDIAN_ROLE(), guardian, sender=admin)
    before = subject.read_state(c)
    v2 = admin.deploy(getattr(project, subject.upgrade_to), *subject.upgrade_args)
    tx = c.upgradeToAndCall(v2.address, b"", sender=admin)
    assert _upgraded_to(tx) == [int(v2.address, 16)]
    assert _implementation(chain, c.address) == int(v2.address, 16)
    # nothing above the implementation's 20 bytes: the executor clears its flags (a cache of
    # roles, pause and the venue table) on the way out, the registries never write them
    assert _slot(chain, c.address) >> 160 == 0
    upgraded = getattr(project, subject.upgrade_to).at(c.address)
    assert subject.read_state(upgraded) == before  # every old field survived
    assert upgraded.hasRole(upgraded.GUARDIAN_ROLE(), guardian)
    subject.check_upgraded(upgraded)  # the registries: a new field; the executor: new immutables


def test_upgrade__caller_without_upgrader_role__reverts(project, subject, admin, guardian,
                                                       stranger, chain):
    c = subject.contract
    v2 = admin.deploy(getattr(project, subject.upgrade_to), *subject.upgrade_args)
    c.grantRole(c.GUARDIAN_ROLE(), guardian, sender=admin)
    c.revokeRole(c.UPGRADER_ROLE(), admin, sender=admin)
    # not the stranger, not the guardian, and not the admin once it no longer holds UPGRADER
    before = _implementation(chain, c.address)
    for who in (stranger, guardian, admin):
        with reverts(c.AccessControlUnauthorizedAccount, mined=True):
            c.upgradeToAndCall(v2.address, b"", sender=who, **MINED)
        assert _implementation(chain, c.address) == before
    c.grantRole(c.UPGRADER_ROLE(), stranger, sender=admin)
    c.upgradeToAndCall(v2.address, b"", sender=stranger)
    assert _implementation(chain, c.address) == int(v2.address, 16) != before


def test_upgrade__to_a_contract_that_is_not_uups__reverts(subject, admin, factory, chain):
    c = subject.contract
    before = _implementation(chain, c.address)
    with pytest.raises(ContractLogicError) as revert:
        c.upgradeToAndCall(factory.address, b"", sender=admin, **MINED)  # no proxiableUUID
    assert_mined_and_failed(revert.value)
    # the ABI declares the error twice (ERC1967Utils' and IERC1967's): ape cannot pick one
    # by name, so the decoded error is checked by its name and argument
    assert type(revert.value).__name__ == "ERC1967InvalidImplementation"
    assert revert.value.inputs["implementation"] == factory.address
    assert _implementation(chain, c.address) == before


def test_upgrade__called_on_the_implementation__reverts(project, subject, admin):
    implementation = admin.deploy(getattr(project, subject.name), *subject.constructor_args)
    v2 = admin.deploy(getattr(project, subject.upgrade_to), *subject.upgrade_args)
    with reverts(implementation.UUPSUnauthorizedCallContext):
        implementation.upgradeToAndCall(v2.address, b"", sender=admin)


def test_pause__guardian_may_pause_not_unpause_or_upgrade__paused_blocks_changes(
        project, subject, admin, guardian, stranger):
    c = subject.contract
    with reverts(c.AccessControlUnauthorizedAccount):
        c.pause(sender=stranger)
    c.grantRole(c.GUARDIAN_ROLE(), guardian, sender=admin)
    tx = c.pause(sender=guardian)
    assert len(tx.decode_logs(c.Paused)) == 1 and c.paused()
    with reverts(c.EnforcedPause):
        subject.change()
    with reverts(c.AccessControlUnauthorizedAccount):
        c.unpause(sender=guardian)
    v2 = admin.deploy(getattr(project, subject.upgrade_to), *subject.upgrade_args)
    with reverts(c.AccessControlUnauthorizedAccount):
        c.upgradeToAndCall(v2.address, b"", sender=guardian)
    tx = c.unpause(sender=admin)
    assert len(tx.decode_logs(c.Unpaused)) == 1 and not c.paused()
    if subject.unpaused_revert is None:
        subject.change()
    else:
        with reverts(getattr(c, subject.unpaused_revert)):
            subject.change()


@pytest.mark.parametrize("name, constant, namespace", [
    *((n, "STORAGE_LOCATION", f"flashkeeper.storage.{n}") for n in NAMES),
    ("DexRegistryV2", "NOTE_LOCATION", "flashkeeper.storage.UpgradeNote"),
])
def test_storage_location__equals_erc7201_formula(project, admin, dex_registry, factory, name,
                                                  constant, namespace):
    args = (dex_registry.address, factory.address) if name == "FlashArbExecutor" else ()
    deployed = admin.deploy(getattr(project, name), *args)
    assert bytes(getattr(deployed, constant)()) == erc7201_location(namespace)


@pytest.mark.parametrize("missing", ["registry", "vault"])
def test_executor_constructor__registry_or_vault_without_code__reverts(
        project, admin, stranger, dex_registry, factory, missing):
    # the two are immutable in every implementation: an EOA there could never be fixed
    registry, vault = dex_registry.address, factory.address
    if missing == "registry":
        registry = stranger.address
    else:
        vault = stranger.address
    with pytest.raises(ContractLogicError) as revert:
        admin.deploy(project.FlashArbExecutor, registry, vault)
    # a reverted deployment has no address to decode its error by: compare the raw data
    expected = keccak(text="ExecutorNotAContract(address)")[:4] + bytes(12) + bytes.fromhex(
        stranger.address[2:])
    assert revert.value.message == "0x" + expected.hex(), revert.value.message


def test_executor__chain_without_balancer__deploys_and_refuses_the_balancer_source(
        project, admin, dex_registry):
    zero = "0x" + "00" * 20
    executor, _ = deploy_behind_proxy(project, admin, project.FlashArbExecutor,
                                      dex_registry.address, zero)
    assert executor.vault() == zero
    executor.grantRole(executor.EXECUTOR_ROLE(), admin, sender=admin)
    token = admin.deploy(project.TestERC20, "Token", "TKN", 18)
    route = bytes.fromhex(token.address[2:]) + bytes(2 * 75)  # two hops: a valid length
    with reverts(executor.ExecutorNoBalancerVault):
        executor.execute(0, zero, 10**18, 0, 2**40, False, route, sender=admin)
