"""Deploy the registries behind ERC-1967 proxies and fill them from a manifest.

Used by `ape run deploy`, the demo and tests. Each proxy is initialized in its deploying
transaction (the initialize calldata goes to the proxy constructor), so no one can initialize
it first.
"""

from __future__ import annotations

from collections.abc import Callable

from eth_utils import is_address, keccak, to_checksum_address
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError

from keeper.chain.node_check import check_manifest_on_node, system_contracts
from keeper.errors import ConfigError
from keeper.manifest import DexKind, Manifest, SystemContracts
from keeper.onchain.registry import dex_id
from keeper.world.artifacts import project_artifact
from keeper.world.deploy import Submit, _Tx

DEX_KIND = {DexKind.UNISWAP_V2: 0, DexKind.UNISWAP_V3: 1, DexKind.BALANCER_V2: 2}
DEFAULT_HEARTBEAT = 24 * 3600


# AccessControl's DEFAULT_ADMIN_ROLE (grants every role, unpauses, withdraws)
DEFAULT_ADMIN_ROLE = b"\0" * 32


def deploy_behind_proxy(tx: _Tx, name: str, admin: str,
                        *constructor_args: object) -> tuple[Contract, Contract]:
    art = project_artifact(name)
    implementation = tx.deploy(art, *constructor_args)
    data = implementation.functions.initialize(admin)._encode_transaction_data()
    proxy = tx.deploy(project_artifact("FlashkeeperProxy"), implementation.address, data)
    return tx.w3.eth.contract(address=proxy.address, abi=art.abi), implementation


def preflight(w3: Web3, manifest: Manifest, redeploy: bool = False,
              **roles: str | None) -> dict[str, str | None]:
    """What deploy_system would find wrong, found before it sends anything: a role holder that
    is not an address, a manifest that does not describe this node (another chain, or a
    node without the world: a registry would revert after three contracts), or, unless
    `redeploy`, one that already names a system deployed on it (a second deploy would
    replace its addresses, and the manifest would forget the executor holding the profits).
    Returns the role holders checksummed; raises ConfigError naming the first problem."""
    checked: dict[str, str | None] = {}
    for role, holder in roles.items():
        if holder is not None and not is_address(holder):
            raise ConfigError(f"{role} {holder!r} is not an address")
        checked[role] = None if holder is None else to_checksum_address(holder)
    check_manifest_on_node(w3, manifest)
    deployed = [f"{name} {address}" for name, address in system_contracts(manifest)
                if w3.eth.get_code(to_checksum_address(address))]
    if deployed and not redeploy:
        raise ConfigError(
            f"the manifest already names a system deployed on chain {manifest.chain_id} "
            f"({', '.join(deployed)}): `ape run upgrade <contract>` changes it in place; "
            "--redeploy deploys a new one and replaces these addresses in the manifest (the old "
            "executor keeps what it holds: withdraw it first)")
    return checked


def deploy_system(w3: Web3, manifest: Manifest, admin: str, keeper: str | None = None,
                  heartbeat: int = DEFAULT_HEARTBEAT, submit: Submit | None = None,
                  timeout: float = 30.0, curator: str | None = None,
                  progress: Callable[[str], None] | None = None,
                  redeploy: bool = False) -> Manifest:
    """Registries and executor deployed, registries filled, `keeper` granted EXECUTOR_ROLE and
    `curator` (the dashboard's key) the DexRegistry's CURATOR_ROLE; returns the manifest with
    `system` set. `admin` sends everything: an unlocked node account, or any signer through
    `submit` (a live network's keystore account); `progress` is told of each contract and
    transaction as it lands."""
    roles = preflight(w3, manifest, redeploy, keeper=keeper, curator=curator)
    keeper, curator = roles["keeper"], roles["curator"]
    tx = _Tx(w3, admin, submit, timeout, progress)
    dexes, _ = deploy_behind_proxy(tx, "DexRegistry", admin)
    feeds, _ = deploy_behind_proxy(tx, "PriceFeedRegistry", admin)
    for d in manifest.dexes:
        init_hash = bytes.fromhex((d.init_code_hash or "0x" + "00" * 32)[2:])
        # Balancer swaps through the Vault itself: it is the DEX's factory and its router
        router = d.router or d.quoter or d.factory
        tx.send(dexes.functions.register(dex_id(d.id), DEX_KIND[d.kind], d.factory, router,
                                         d.fee_bps or 0, init_hash), f"register {d.id}")
    for t in manifest.tokens:
        if t.feed and not t.hostile:
            tx.send(feeds.functions.setFeed(t.address, t.feed, heartbeat, 200),
                    f"feed {t.symbol}")
    executor, implementation = deploy_behind_proxy(
        tx, "FlashArbExecutor", admin, dexes.address,
        manifest.balancer_vault or "0x" + "00" * 20)
    # the executor trades from its own copy of the registry: fill it now, and have the
    # registry refresh it after every later change
    tx.send(dexes.functions.setListener(executor.address), "registry listener = executor")
    tx.send(executor.functions.setPriceFeeds(feeds.address), "executor reads the feeds")
    if manifest.aave_pool:
        tx.send(executor.functions.setAavePool(manifest.aave_pool), "executor: Aave pool")
    for d in manifest.dexes:
        tx.send(executor.functions.syncFactory(d.factory), f"executor syncs {d.id}")
    if keeper is not None:
        role = executor.functions.EXECUTOR_ROLE().call()
        tx.send(executor.functions.grantRole(role, keeper), "grant EXECUTOR to the keeper")
    if curator is not None:
        role = dexes.functions.CURATOR_ROLE().call()
        tx.send(dexes.functions.grantRole(role, curator), "grant CURATOR to the dashboard")
    system = SystemContracts(dex_registry=dexes.address, price_feed_registry=feeds.address,
                             executor=executor.address,
                             executor_implementation=implementation.address)
    return manifest.with_system(system)


# venueIndex's revert for a factory without an index
NOT_IN_VENUE_TABLE = "0x" + keccak(text="ExecutorNotInVenueTable(address)")[:4].hex()


def venue_indexes(executor: Contract, manifest: Manifest) -> dict[str, int]:
    """Each V2 factory's index in the executor's venue table, as executeV2_e0's path names it
    (keeper.onchain.route.encode_v2_path): read from the chain, since the table numbers
    factories in the order they were first synced. A factory the table left out (full, or not
    synced yet) has none: encode_v2_path then refuses its routes, which go through execute().
    With no table at all (after an upgrade until its sync, or shut by VenueTableNotLocated)
    no factory has one: executeV2_e0 would refuse every route."""
    if int(executor.functions.venueTable().call(), 16) == 0:
        return {}
    indexes = {}
    for d in manifest.dexes:
        if d.kind is not DexKind.UNISWAP_V2:
            continue
        try:
            indexes[d.factory] = executor.functions.venueIndex(d.factory).call()
        except ContractLogicError as e:
            if e.data is None or not str(e.data).startswith(NOT_IN_VENUE_TABLE):
                raise
    return indexes


def executor_contract(w3: Web3, manifest: Manifest) -> Contract:
    """The deployed FlashArbExecutor (its proxy) as a web3 contract."""
    if not manifest.system.executor:
        raise ValueError("the manifest has no executor: deploy the system first")
    return w3.eth.contract(address=manifest.system.executor,
                           abi=project_artifact("FlashArbExecutor").abi)


def grant_operator(w3: Web3, manifest: Manifest, admin: str, operator: str) -> None:
    """Give `operator` the roles the dashboard's admin actions sign with (admin, guardian,
    curator, feed manager), on an account kept apart from those that send other traffic (a
    shared account races for nonces). Not REGISTRAR: listing a DEX is not a dashboard action.
    The admin role is for unpausing; it can grant any role, so a deployment that does not want
    the web process that powerful leaves FLASHKEEPER_ADMIN_KEY unset (see the README)."""
    tx = _Tx(w3, admin)
    s = manifest.system
    for name, address, extra in (("DexRegistry", s.dex_registry, "CURATOR_ROLE"),
                                 ("PriceFeedRegistry", s.price_feed_registry,
                                  "FEED_MANAGER_ROLE"),
                                 ("FlashArbExecutor", s.executor, None)):
        if not address:
            continue
        c = w3.eth.contract(address=address, abi=project_artifact(name).abi)
        roles = [DEFAULT_ADMIN_ROLE, c.functions.GUARDIAN_ROLE().call()]
        if extra:
            roles.append(getattr(c.functions, extra)().call())
        for role in roles:
            tx.send(c.functions.grantRole(role, operator), f"{name}: role for {operator}")
