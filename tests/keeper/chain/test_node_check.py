"""Before a process relies on a node: one answers, it is a development chain where the world
and the market mint, and the manifest describes it. Each failure is one clear line from the
`flashkeeper` commands, never a traceback, and nothing is sent."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from keeper.chain.anvil import Anvil
from keeper.chain.http import http_web3
from keeper.chain.node_check import check_manifest_on_node, connect, require_dev_chain
from keeper.cli import main
from keeper.errors import ConfigError, NodeError
from keeper.manifest import save_manifest

_HELD = socket.socket()
_HELD.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused, and no node
# started by this module or another lane can be given the port while the module runs
DEAD = f"http://127.0.0.1:{_HELD.getsockname()[1]}/v3/secret-api-key"


@pytest.fixture(scope="module", autouse=True)
def _release_dead_port() -> Iterator[None]:
    yield
    _HELD.close()


@pytest.fixture(scope="module")
def bare() -> Iterator[Anvil]:
    """A dev node without the world (chain 31337, as a throwaway anvil is)."""
    node = Anvil().start()
    yield node
    node.stop()


@pytest.fixture(scope="module")
def foreign() -> Iterator[Anvil]:
    """A node on a chain that is not a development chain."""
    node = Anvil(chain_id=4242).start()
    yield node
    node.stop()


def _cli(args: list[str], tmp_path: Path) -> tuple[int, str]:
    env = {"FLASHKEEPER_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
           "FLASHKEEPER_MANIFEST": str(tmp_path / "none.json")}
    r = CliRunner().invoke(main, args, env=env)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r.exit_code, r.output


def test_connect__dead_node__node_error_without_the_url_path():
    with pytest.raises(NodeError, match=r"no node answers at http://127\.0\.0\.1:\d+ ") as e:
        connect(DEAD, timeout=5)
    assert "secret-api-key" not in str(e.value)


def test_require_dev_chain__other_chain__refused(foreign, bare):
    with pytest.raises(ConfigError, match=r"development chains only.*chain 4242"):
        require_dev_chain(http_web3(foreign.http_url), "the world deploys test tokens")
    require_dev_chain(http_web3(bare.http_url), "the world deploys test tokens")


def test_check_manifest_on_node__its_node_passes__another_chain_or_bare_node_refused(
        world, bare, foreign):
    check_manifest_on_node(world.w3, world.manifest)
    with pytest.raises(ConfigError, match="manifest is for chain 31337, connected to 4242"):
        check_manifest_on_node(http_web3(foreign.http_url), world.manifest)
    with pytest.raises(ConfigError, match=r"the manifest's WETH .* has no code on chain 31337"):
        check_manifest_on_node(http_web3(bare.http_url), world.manifest)


def test_check_manifest_on_node__system_named_but_absent__refused_when_asked(world):
    """The keeper reads the registry the manifest's system names: a demo's manifest against a
    node holding only the world would have failed in the first sync."""
    from keeper.manifest import SystemContracts

    absent = world.manifest.with_system(SystemContracts(dex_registry="0x" + "ab" * 20))
    check_manifest_on_node(world.w3, absent)  # deploy's check: it creates the system
    with pytest.raises(ConfigError, match=r"the manifest's DexRegistry .* has no code"):
        check_manifest_on_node(world.w3, absent, system=True)


@pytest.mark.parametrize("command", ["world", "market"])
def test_cli__test_token_commands_on_a_chain_that_is_not_dev__refused(
        command, foreign, world, tmp_path):
    manifest = tmp_path / "m.json"
    save_manifest(world.manifest, manifest)
    args = [command, "--rpc-url", foreign.http_url]
    args += ["--out", str(tmp_path / "out.json")] if command == "world" else \
        ["--manifest", str(manifest), "--steps", "1"]
    code, out = _cli(args, tmp_path)
    assert code != 0 and "development chains only" in out and "chain 4242" in out, out
    assert http_web3(foreign.http_url).eth.block_number == 0  # nothing was sent
    assert not (tmp_path / "out.json").exists()


def test_cli_market__bare_node_or_dead_node__one_line_error(world, bare, tmp_path):
    manifest = tmp_path / "m.json"
    save_manifest(world.manifest, manifest)
    code, out = _cli(["market", "--rpc-url", bare.http_url, "--manifest", str(manifest),
                      "--steps", "1"], tmp_path)
    assert code != 0 and "has no code on chain 31337" in out, out
    assert http_web3(bare.http_url).eth.block_number == 0
    code, out = _cli(["market", "--rpc-url", DEAD, "--manifest", str(manifest), "--steps", "1"],
                     tmp_path)
    assert code != 0 and "no node answers" in out and "secret-api-key" not in out, out


def test_cli_keeper__dead_node_or_another_nodes_manifest__one_line_error(world, bare, tmp_path):
    manifest = tmp_path / "m.json"
    save_manifest(world.manifest, manifest)
    code, out = _cli(["keeper", "--rpc-url", DEAD, "--manifest", str(manifest)], tmp_path)
    assert code != 0 and "no node answers" in out, out
    code, out = _cli(["keeper", "--rpc-url", bare.http_url, "--ws-url", bare.ws_url,
                      "--manifest", str(manifest)], tmp_path)
    assert code != 0 and "has no code on chain 31337" in out, out


@pytest.mark.parametrize("lost", ["before", "during the first sync"])
def test_embedded_keeper__no_node__retries_until_stopped_without_the_key(
        world, tmp_path, monkeypatch, lost):
    """`flashkeeper web --with-keeper` started before its node, or losing it in the first
    sync: the dashboard serves and the keeper tries again (it used to stop for good, with a
    traceback), and its log never holds the URL's path (a hosted node's API key)."""
    import requests

    import web.embedded as embedded
    from keeper.daemon import Keeper

    manifest = tmp_path / "m.json"
    save_manifest(world.manifest, manifest)
    monkeypatch.setenv("FLASHKEEPER_MANIFEST", str(manifest))
    monkeypatch.setenv("FLASHKEEPER_DATABASE_URL", f"sqlite:///{tmp_path / 'k.db'}")
    monkeypatch.setattr(embedded, "RETRY_FIRST_S", 0.05)
    if lost == "before":
        monkeypatch.setenv("FLASHKEEPER_RPC_URL", DEAD)
    else:
        monkeypatch.setenv("FLASHKEEPER_RPC_URL", world.anvil.http_url + "/v3/secret-api-key")

        def gone(self: Keeper) -> int:
            # what requests says when a node drops: the whole URL, key included
            raise requests.exceptions.ConnectionError(
                f"Max retries exceeded with url: {self.settings.rpc_url}")

        monkeypatch.setattr(Keeper, "initial_sync", gone)
    with _Messages(embedded.log) as log:
        keeper = embedded.EmbeddedKeeper()
        keeper.start()
        assert log.wait_for("cannot reach the node", times=3), log.lines
        keeper.stop()
        assert keeper.thread is not None
        keeper.thread.join(10)
        assert not keeper.thread.is_alive()
    assert not any("secret-api-key" in m for m in log.lines), log.lines


def test_embedded_keeper__world_not_on_the_node_yet__reads_the_manifest_again(
        world, tmp_path, monkeypatch):
    """`flashkeeper web --with-keeper` started before its world was deployed (a manifest left
    by an earlier node): it used to stop for good ("has no code"), and the dashboard ran
    without a keeper until restarted. It now waits, reading the manifest again each try, and
    syncs once the file describes the node."""
    import web.embedded as embedded

    manifest = tmp_path / "m.json"
    stale = world.manifest.model_copy(update={"weth": "0x" + "11" * 20})
    save_manifest(stale, manifest)
    monkeypatch.setenv("FLASHKEEPER_MANIFEST", str(manifest))
    monkeypatch.setenv("FLASHKEEPER_RPC_URL", world.anvil.http_url)
    monkeypatch.setenv("FLASHKEEPER_WS_URL", world.anvil.ws_url)
    monkeypatch.setenv("FLASHKEEPER_DATABASE_URL", f"sqlite:///{tmp_path / 'k.db'}")
    monkeypatch.setattr(embedded, "RETRY_FIRST_S", 0.05)
    monkeypatch.setattr(embedded, "RETRY_MAX_S", 0.2)
    keeper = embedded.EmbeddedKeeper()
    with _Messages(embedded.log, logging.getLogger("flashkeeper.keeper")) as log:
        try:
            keeper.start()
            assert log.wait_for("waits for a manifest", times=2), log.lines
            assert log.count("synced ") == 0
            assert log.count("has no code on chain"), log.lines
            save_manifest(world.manifest, manifest)  # the world, deployed meanwhile
            assert log.wait_for("synced ", timeout=60), log.lines[-5:]
            assert log.count("stopped") == 0, log.lines
        finally:
            keeper.stop()
            assert keeper.thread is not None
            keeper.thread.join(10)
    assert not keeper.thread.is_alive()


class _Messages(logging.Handler):
    """Every message the given loggers log (at INFO and up, while in the `with`), and a wait
    for some number of them to contain a text."""

    def __init__(self, *loggers: logging.Logger) -> None:
        super().__init__()
        self.loggers, self.lines = loggers, []
        self._changed = threading.Condition()

    def __enter__(self) -> _Messages:
        self._levels = [lg.level for lg in self.loggers]
        for lg in self.loggers:
            lg.addHandler(self)
            lg.setLevel(min(lg.getEffectiveLevel(), logging.INFO))
        return self

    def __exit__(self, *exc: object) -> None:
        for lg, level in zip(self.loggers, self._levels, strict=True):
            lg.removeHandler(self)
            lg.setLevel(level)

    def emit(self, record: logging.LogRecord) -> None:
        with self._changed:
            self.lines.append(record.getMessage())
            self._changed.notify_all()

    def count(self, text: str) -> int:
        return sum(text in line for line in self.lines)

    def wait_for(self, text: str, times: int = 1, timeout: float = 30) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.count(text) >= times, timeout)
