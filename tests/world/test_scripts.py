"""`ape run deploy` and `ape run upgrade` as operators run them: on a local node with a test
account, and on a "live" network (anvil with a non-dev chain id) where only a keystore account
may sign, after one confirmation, with the passphrase from ape's environment variable."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account import Account

from keeper.chain.anvil import wait_receipt
from keeper.chain.http import http_web3
from keeper.config import ROOT
from keeper.manifest import SystemContracts, load_manifest, save_manifest
from keeper.onchain.storage import IMPLEMENTATION_SLOT
from keeper.world.artifacts import project_artifact
from keeper.world.local import LocalWorld, start_world

LIVE_CHAIN_ID = 4242
PASSPHRASE = "correct horse battery staple"


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    bin_dirs = [str(ROOT / ".venv" / "bin"), str(ROOT / "toolchain" / "bin")]
    return {**os.environ, "SOLCX_BINARY_PATH": str(ROOT / "toolchain" / "bin"),
            "PATH": ":".join([*bin_dirs, os.environ["PATH"]]), **(extra or {})}


def ape_run(*args: str, answer: str = "", extra: dict[str, str] | None = None):
    return subprocess.run([str(ROOT / ".venv" / "bin" / "ape"), "run", *args], cwd=ROOT,
                          env=_env(extra), input=answer, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def live() -> Iterator[LocalWorld]:
    world = start_world(chain_id=LIVE_CHAIN_ID)
    yield world
    world.stop()


@pytest.fixture(scope="module")
def keystore(live: LocalWorld) -> Iterator[tuple[str, str]]:
    """A funded keystore account (ape's format: an encrypted web3 keyfile), removed after."""
    alias = f"flashkeeper-test-{secrets.token_hex(4)}"
    account = Account.create()
    folder = Path.home() / ".ape" / "accounts"
    folder.mkdir(parents=True, exist_ok=True)
    keyfile = folder / f"{alias}.json"
    keyfile.write_text(json.dumps(Account.encrypt(account.key, PASSPHRASE)))
    wait_receipt(live.w3, live.w3.eth.send_transaction(
        {"from": live.deployer, "to": account.address, "value": 10**20}))
    try:
        yield alias, account.address
    finally:
        keyfile.unlink(missing_ok=True)


def _manifest_copy(world: LocalWorld, tmp_path: Path) -> Path:
    path = tmp_path / "manifest.json"
    save_manifest(world.manifest, path)
    return path


def _slot(world: LocalWorld, proxy: str) -> int:
    """The implementation in the ERC-1967 slot: its low 20 bytes (the executor keeps flags in
    the rest)."""
    word = int.from_bytes(world.w3.eth.get_storage_at(proxy, IMPLEMENTATION_SLOT), "big")
    return word & (2**160 - 1)


def test_deploy__live_network_without_account__refused_and_nothing_sent(live, tmp_path):
    nonce = live.w3.eth.get_transaction_count(live.deployer)
    path = _manifest_copy(live, tmp_path)
    r = ape_run("deploy", "--network", live.anvil.http_url, "--manifest", str(path))
    assert r.returncode != 0 and "needs --account" in r.stdout + r.stderr
    assert live.w3.eth.get_transaction_count(live.deployer) == nonce
    assert load_manifest(path).system.dex_registry is None


@pytest.mark.parametrize("script", ["world", "market"])
def test_test_token_scripts__live_network__refused_and_nothing_sent(live, tmp_path, script):
    """The world and the market mint test tokens: not on a chain that is not a dev node."""
    nonce = live.w3.eth.get_transaction_count(live.deployer)
    path = _manifest_copy(live, tmp_path)
    before = path.read_text()
    option = "--out" if script == "world" else "--manifest"
    r = ape_run(script, "--network", live.anvil.http_url, option, str(path))
    assert r.returncode != 0 and "development chains only" in r.stdout + r.stderr
    assert live.w3.eth.get_transaction_count(live.deployer) == nonce
    assert path.read_text() == before


def test_deploy__live_network_unknown_keystore_alias__clear_error(live, tmp_path):
    path = _manifest_copy(live, tmp_path)
    r = ape_run("deploy", "--network", live.anvil.http_url, "--manifest", str(path),
                "--account", "flashkeeper-no-such-alias")
    assert r.returncode != 0
    assert "no keystore account 'flashkeeper-no-such-alias'" in r.stderr, r.stderr[-2000:]
    assert "Traceback" not in r.stdout + r.stderr


def test_deploy__live_network_operator_declines__nothing_sent(live, keystore, tmp_path):
    alias, address = keystore
    path = _manifest_copy(live, tmp_path)
    r = ape_run("deploy", "--network", live.anvil.http_url, "--manifest", str(path),
                "--account", alias, answer="n\n",
                extra={f"APE_ACCOUNTS_{alias}_PASSPHRASE": PASSPHRASE})
    assert r.returncode != 0 and "Send these transactions?" in r.stdout
    assert live.w3.eth.get_transaction_count(address) == 0
    assert load_manifest(path).system.dex_registry is None


def test_deploy_then_upgrade__live_network__keystore_signs_everything(live, keystore, tmp_path):
    alias, address = keystore
    path = _manifest_copy(live, tmp_path)
    keeper, curator = live.w3.eth.accounts[5], live.w3.eth.accounts[6]
    deployer_nonce = live.w3.eth.get_transaction_count(live.deployer)
    secret = {f"APE_ACCOUNTS_{alias}_PASSPHRASE": PASSPHRASE}
    r = ape_run("deploy", "--network", live.anvil.http_url, "--manifest", str(path),
                "--account", alias, "--keeper", keeper, "--curator", curator, answer="y\n",
                extra=secret)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert PASSPHRASE not in r.stdout + r.stderr
    system = load_manifest(path).system
    # each contract is shown as it lands: a run that fails halfway leaves findable contracts
    for proxy in (system.dex_registry, system.price_feed_registry, system.executor):
        assert f"deployed FlashkeeperProxy at {proxy}" in r.stdout
    sent = [line for line in r.stdout.splitlines() if line.startswith("sent ")]
    assert any(line.startswith("sent register ") and "(0x" in line for line in sent), sent
    w3 = live.w3
    registry = w3.eth.contract(address=system.dex_registry,
                               abi=project_artifact("DexRegistry").abi)
    executor = w3.eth.contract(address=system.executor,
                               abi=project_artifact("FlashArbExecutor").abi)
    admin_role = b"\0" * 32
    assert registry.functions.hasRole(admin_role, address).call()
    assert not registry.functions.hasRole(admin_role, live.deployer).call()
    assert executor.functions.hasRole(executor.functions.EXECUTOR_ROLE().call(), keeper).call()
    curator_role = registry.functions.CURATOR_ROLE().call()
    assert registry.functions.hasRole(curator_role, curator).call()
    assert not registry.functions.hasRole(registry.functions.REGISTRAR_ROLE().call(),
                                          curator).call()
    assert executor.functions.registry().call() == system.dex_registry
    ids = {raw.rstrip(b"\0").decode() for raw in registry.functions.dexIds().call()}
    assert ids == {d.id for d in live.manifest.dexes}
    assert w3.eth.get_transaction_count(address) > 6  # every transaction signed by the keystore
    assert w3.eth.get_transaction_count(live.deployer) == deployer_nonce

    before = _slot(live, system.executor)
    nonce = w3.eth.get_transaction_count(address)
    # a manifest of another chain: its addresses could be another deployment of ours here
    other = json.loads(path.read_text())
    other["chain_id"] = 1
    other_path = tmp_path / "other-chain.json"
    other_path.write_text(json.dumps(other))
    r = ape_run("upgrade", "FlashArbExecutor", "--network", live.anvil.http_url,
                "--manifest", str(other_path), "--account", alias, answer="y\n", extra=secret)
    assert r.returncode != 0 and "manifest is for chain 1" in r.stdout + r.stderr
    assert w3.eth.get_transaction_count(address) == nonce
    # declined: no implementation deployed, no upgrade sent
    r = ape_run("upgrade", "FlashArbExecutor", "--network", live.anvil.http_url,
                "--manifest", str(path), "--account", alias, answer="n\n", extra=secret)
    assert r.returncode != 0 and "Send these transactions?" in r.stdout
    assert w3.eth.get_transaction_count(address) == nonce
    assert _slot(live, system.executor) == before
    r = ape_run("upgrade", "FlashArbExecutor", "--network", live.anvil.http_url,
                "--manifest", str(path), "--account", alias, answer="y\n", extra=secret)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert PASSPHRASE not in r.stdout + r.stderr
    after = _slot(live, system.executor)
    assert after != before
    implementation = w3.eth.contract(address=w3.to_checksum_address(after.to_bytes(20, "big")),
                                     abi=project_artifact("FlashArbExecutor").abi)
    # the manifest names the new implementation (bench-gas plants its code)
    assert load_manifest(path).system.executor_implementation == implementation.address
    # the immutables came over, and the proxy's state stayed
    assert implementation.functions.registry().call() == system.dex_registry
    assert executor.functions.hasRole(executor.functions.EXECUTOR_ROLE().call(), keeper).call()
    # and every listed (factory, init-code hash) still trades after the upgrade's re-sync
    for d in live.manifest.dexes:
        if d.init_code_hash:
            listing = executor.functions.listing(d.factory, d.init_code_hash).call()
            assert listing[0] is True, d.id
    # the flags in the ERC-1967 slot's high bytes survived the upgrade's slot write: the
    # executor still finds its venue table (the re-sync's newest)
    assert int(executor.functions.venueTable().call(), 16) != 0

    # the profits out: shown, asked once, signed by the keystore; declined, nothing is sent
    usdc = w3.eth.contract(address=live.manifest.token("USDC").address,
                           abi=project_artifact("TestERC20").abi)
    wait_receipt(w3, usdc.functions.mint(system.executor, 250 * 10**6)
                 .transact({"from": live.deployer}))
    to, nonce = w3.eth.accounts[4], w3.eth.get_transaction_count(address)
    args = ("withdraw", "--network", live.anvil.http_url, "--manifest", str(path),
            "--account", alias, "--to", to)
    r = ape_run(*args, answer="n\n", extra=secret)
    assert r.returncode != 0 and "Will withdraw from the executor" in r.stdout
    assert "250 USDC" in r.stdout and w3.eth.get_transaction_count(address) == nonce
    r = ape_run(*args, answer="y\n", extra=secret)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert PASSPHRASE not in r.stdout + r.stderr
    assert usdc.functions.balanceOf(system.executor).call() == 0
    assert usdc.functions.balanceOf(to).call() == 250 * 10**6
    assert w3.eth.get_transaction_count(address) == nonce + 1


@pytest.fixture(scope="module")
def local() -> Iterator[LocalWorld]:
    world = start_world()
    yield world
    world.stop()


@pytest.mark.parametrize(("args", "error"), [
    (("--keeper", "0xbad"), "keeper '0xbad' is not an address"),
    (("--curator", "not-an-address"), "curator 'not-an-address' is not an address"),
])
def test_deploy__bad_role_holder__refused_before_anything_is_sent(local, tmp_path, args, error):
    nonce = local.w3.eth.get_transaction_count(local.deployer)
    path = _manifest_copy(local, tmp_path)
    r = ape_run("deploy", "--network", local.anvil.http_url, "--manifest", str(path), *args)
    assert r.returncode != 0 and error in r.stderr, r.stdout[-2000:] + r.stderr[-2000:]
    assert "Traceback" not in r.stdout + r.stderr
    assert local.w3.eth.get_transaction_count(local.deployer) == nonce
    assert load_manifest(path).system.dex_registry is None


def test_deploy_upgrade_market__node_without_the_world__refused_before_anything_is_sent(
        local, tmp_path):
    """A manifest of this chain id but another node (ape's throwaway foundry node, say): its
    contracts are not there. deploy would have sent 3 contracts before a registry reverted."""
    from keeper.chain.anvil import Anvil

    bare = Anvil().start()
    try:
        path = _manifest_copy(local, tmp_path)
        r = ape_run("deploy", "--network", bare.http_url, "--manifest", str(path))
        assert r.returncode != 0 and "has no code on chain 31337" in r.stderr, r.stderr[-2000:]
        # the market too: it used to trade against nothing ("division by zero" each step)
        r = ape_run("market", "--network", bare.http_url, "--manifest", str(path),
                    "--steps", "1")
        assert r.returncode != 0 and "has no code on chain 31337" in r.stderr, r.stderr[-2000:]
        deployed = tmp_path / "deployed.json"
        save_manifest(local.manifest.with_system(SystemContracts(dex_registry="0x" + "ab" * 20)),
                      deployed)
        r = ape_run("upgrade", "DexRegistry", "--network", bare.http_url,
                    "--manifest", str(deployed))
        assert r.returncode != 0 and "no contract at the manifest's DexRegistry" in r.stderr
        for out in (r.stdout, r.stderr):
            assert "Traceback" not in out
        w3 = http_web3(bare.http_url)
        assert w3.eth.get_transaction_count(w3.eth.accounts[0]) == 0
    finally:
        bare.stop()


@pytest.mark.parametrize("script", [("world",), ("deploy",), ("upgrade", "DexRegistry"),
                                    ("market", "--steps", "1")])
def test_scripts__dead_rpc__one_line_error_without_the_key(script, refused_port):
    """A node URL where nothing listens: ape printed ~40 lines of traceback (every frame under
    the project folder, .venv's included) and the whole URL. Now one line, exit 1, and the
    URL's path (a hosted node's key) is not shown."""
    port = refused_port
    r = ape_run(*script, "--network", f"http://127.0.0.1:{port}/v3/SECRETKEY")
    out = r.stdout + r.stderr
    assert r.returncode == 1, out[-2000:]
    assert f"Error: no node answers at http://127.0.0.1:{port} (ProviderError)" in r.stderr, out
    assert "Traceback" not in out and 'File "' not in out
    assert "SECRETKEY" not in out


@pytest.mark.parametrize(("contract", "implementation", "error"), [
    ("DexRegistry", "NoSuch", "no contract type 'NoSuch'"),
    ("DexRegistry", "BareV2FlashArb", "BareV2FlashArb is not an implementation of DexRegistry"),
    ("DexRegistry", "MockAggregator", "MockAggregator is not an implementation of DexRegistry"),
    ("FlashArbExecutor", "DexRegistry", "DexRegistry is not an implementation of FlashArb"),
    ("DexRegistry", "PriceFeedRegistry", "keeps its storage elsewhere than DexRegistry"),
])
def test_upgrade__not_an_implementation__refused_before_anything_is_deployed(
        local, tmp_path, contract, implementation, error):
    if local.manifest.system is None or local.manifest.system.dex_registry is None:
        from keeper.onchain.deploy_system import deploy_system

        local.manifest = deploy_system(local.w3, local.manifest, admin=local.deployer)
    path = _manifest_copy(local, tmp_path)
    nonce = local.w3.eth.get_transaction_count(local.deployer)
    r = ape_run("upgrade", contract, "--implementation", implementation,
                "--network", local.anvil.http_url, "--manifest", str(path))
    assert r.returncode != 0 and error in r.stderr, r.stdout[-2000:] + r.stderr[-2000:]
    assert "Traceback" not in r.stdout + r.stderr
    assert local.w3.eth.get_transaction_count(local.deployer) == nonce


def test_deploy_then_upgrade__local_node__test_account_no_prompt(tmp_path):
    world = start_world()
    try:
        path = _manifest_copy(world, tmp_path)
        r = ape_run("deploy", "--network", world.anvil.http_url, "--manifest", str(path))
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        system = load_manifest(path).system
        assert world.w3.eth.get_code(system.price_feed_registry)
        # a second deploy would replace the manifest's addresses, and it would forget the
        # executor that holds the profits: refused, nothing sent, unless --redeploy
        nonce = world.w3.eth.get_transaction_count(world.deployer)
        r = ape_run("deploy", "--network", world.anvil.http_url, "--manifest", str(path))
        assert r.returncode != 0 and "already names a system deployed on chain 31337" in \
            r.stderr and system.executor in r.stderr, r.stdout[-2000:] + r.stderr[-2000:]
        assert world.w3.eth.get_transaction_count(world.deployer) == nonce
        assert load_manifest(path).system == system
        r = ape_run("deploy", "--network", world.anvil.http_url, "--manifest", str(path),
                    "--redeploy")
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        old, system = system, load_manifest(path).system
        assert system.executor != old.executor and world.w3.eth.get_code(system.executor)
        before = _slot(world, system.dex_registry)
        # another contract's implementation would read the registry's storage through its
        # own layout: refused before the upgrade is sent
        r = ape_run("upgrade", "DexRegistry", "--implementation", "PriceFeedRegistry",
                    "--network", world.anvil.http_url, "--manifest", str(path))
        assert r.returncode != 0 and "not an implementation of it" in r.stdout + r.stderr
        assert _slot(world, system.dex_registry) == before
        # one upgraded to the wrong contract by hand is repaired: the location is the
        # contract's own, not the one the proxy runs now
        w3, admin = world.w3, world.w3.eth.accounts[0]
        art = project_artifact("PriceFeedRegistry")
        wrong = w3.to_checksum_address(wait_receipt(w3, w3.eth.contract(
            abi=art.abi, bytecode=art.bytecode).constructor().transact({"from": admin}))[
            "contractAddress"])
        registry = w3.eth.contract(address=system.dex_registry,
                                   abi=project_artifact("DexRegistry").abi)
        wait_receipt(w3, registry.functions.upgradeToAndCall(wrong, b"").transact({"from": admin}))
        assert _slot(world, system.dex_registry) == int(wrong, 16)
        r = ape_run("upgrade", "DexRegistry", "--network", world.anvil.http_url,
                    "--manifest", str(path))
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        assert _slot(world, system.dex_registry) not in (0, before, int(wrong, 16))
        # the market reads the manifest as deploy and upgrade do: another chain's is refused
        other = tmp_path / "other-chain.json"
        save_manifest(load_manifest(path).model_copy(update={"chain_id": LIVE_CHAIN_ID}), other)
        r = ape_run("market", "--network", world.anvil.http_url, "--manifest", str(other),
                    "--steps", "1")
        assert r.returncode != 0
        assert f"manifest is for chain {LIVE_CHAIN_ID}, connected to 31337" in r.stdout + r.stderr
        # and a dev node reached by URL is a development chain to it, as to deploy
        r = ape_run("market", "--network", world.anvil.http_url, "--manifest", str(path),
                    "--steps", "1")
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        assert "block " in r.stdout
    finally:
        world.stop()


def test_withdraw__profits_out__everything_checked_before_anything_is_sent(tmp_path):
    """`ape run withdraw`: the admin takes the executor's profits out, a given amount of one
    token or everything it holds; a bad recipient, token or amount, more than it holds, or a
    signer without the admin role is one line and sends nothing."""
    from keeper.onchain.deploy_system import deploy_system

    world = start_world()
    try:
        w3, url = world.w3, world.anvil.http_url
        manifest = deploy_system(w3, world.manifest, admin=world.deployer)
        path = tmp_path / "m.json"
        save_manifest(manifest, path)
        executor, to = manifest.system.executor, w3.eth.accounts[3]
        weth = w3.eth.contract(address=manifest.weth, abi=project_artifact("TestERC20").abi)
        usdc = w3.eth.contract(address=manifest.token("USDC").address,
                               abi=project_artifact("TestERC20").abi)
        wait_receipt(w3, w3.eth.send_transaction(
            {"from": world.deployer, "to": manifest.weth, "value": 3 * 10**18}))  # deposit
        wait_receipt(w3, weth.functions.transfer(executor, 3 * 10**18)
                     .transact({"from": world.deployer}))
        wait_receipt(w3, usdc.functions.mint(executor, 1234 * 10**6)
                     .transact({"from": world.deployer}))
        before = {c: c.functions.balanceOf(to).call() for c in (weth, usdc)}
        nonce = w3.eth.get_transaction_count(world.deployer)
        for args, error in (
                (("--to", "0x" + "00" * 20), "recipient is the zero address"),
                (("--to", "0xbad"), "recipient '0xbad' is not an address"),
                (("--to", to, "--token", "NOPE"), "token 'NOPE' is not in the manifest"),
                (("--to", to, "--amount", "1"), "--amount needs exactly one --token"),
                (("--to", to, "--token", "USDC", "--amount", "0.0000001"), "at most 6 decimals"),
                (("--to", to, "--token", "WETH", "--amount", "5"),
                 "the executor holds 3 WETH, less than 5 WETH")):
            r = ape_run("withdraw", "--network", url, "--manifest", str(path), *args)
            assert r.returncode != 0 and error in r.stderr, (args, r.stderr[-2000:])
            assert "Traceback" not in r.stdout + r.stderr
        assert w3.eth.get_transaction_count(world.deployer) == nonce
        r = ape_run("withdraw", "--network", url, "--manifest", str(path), "--to", to,
                    "--token", "WETH", "--amount", "1.5")
        assert r.returncode == 0 and "withdrew 1.5 WETH" in r.stdout, r.stderr[-2000:]
        assert weth.functions.balanceOf(executor).call() == 15 * 10**17
        r = ape_run("withdraw", "--network", url, "--manifest", str(path), "--to", to)
        assert r.returncode == 0 and "withdrew" in r.stdout, r.stderr[-2000:]
        assert weth.functions.balanceOf(executor).call() == 0
        assert usdc.functions.balanceOf(executor).call() == 0
        assert weth.functions.balanceOf(to).call() - before[weth] == 3 * 10**18
        assert usdc.functions.balanceOf(to).call() - before[usdc] == 1234 * 10**6
        r = ape_run("withdraw", "--network", url, "--manifest", str(path), "--to", to)
        assert r.returncode == 0 and "nothing to withdraw" in r.stdout
        # a system whose admin is another account: ape's test account may not withdraw
        other = deploy_system(w3, manifest, admin=w3.eth.accounts[1], redeploy=True)
        save_manifest(other, path)
        wait_receipt(w3, usdc.functions.mint(other.system.executor, 10**6)
                     .transact({"from": world.deployer}))
        nonce = w3.eth.get_transaction_count(world.deployer)
        r = ape_run("withdraw", "--network", url, "--manifest", str(path), "--to", to)
        assert r.returncode != 0 and "is not the executor's admin" in r.stderr, r.stderr[-2000:]
        assert w3.eth.get_transaction_count(world.deployer) == nonce
    finally:
        world.stop()
