"""`flashkeeper demo` (what `make demo` runs): anvil, the world, the system contracts, the market,
the keeper and the dashboard on one machine, stopped together by Ctrl-C."""

from __future__ import annotations

import importlib.util
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import click
from sqlalchemy.engine import make_url
from web3 import Web3

from keeper.chain.anvil import Anvil, dev_key, rpc
from keeper.chain.http import http_web3
from keeper.config import ROOT, VAR, KeeperSettings
from keeper.errors import NodeError
from keeper.manifest import Manifest, save_manifest

log = logging.getLogger("flashkeeper.demo")


def start_anvil(anvil: Anvil) -> Anvil:
    """`anvil` started on its port, or on one the kernel picks when that one is taken: anvil's
    own failure to bind is the test (a port checked free first could be taken before anvil
    bound it, and one bound without a listener looks free to a connect)."""
    try:
        return anvil.start()
    except NodeError:
        if anvil.port == 0:
            raise
        click.echo(f"port {anvil.port} is taken; anvil takes a free one")
        anvil.port = 0
        return anvil.start()


# gunicorn's default: it keeps the backlog of a socket that already listens
WEB_BACKLOG = 2048
OPERATOR_ACCOUNT = 8  # admin, guardian, curator, feed manager: signs the dashboard's actions


def _deploy(w3: Web3) -> Manifest:
    from keeper.world.deploy import deploy_world

    manifest = deploy_world(w3, w3.eth.accounts[0])
    try:
        from keeper.onchain.deploy_system import deploy_system
    except ImportError:
        click.echo("  (system contracts: deploy module not available; skipped)")
        return manifest
    from keeper.onchain.deploy_system import grant_operator

    system = deploy_system(w3, manifest, admin=w3.eth.accounts[0], keeper=w3.eth.accounts[9])
    # the dashboard's admin actions sign as account 8: the deployer also feeds the oracles
    grant_operator(w3, system, w3.eth.accounts[0], w3.eth.accounts[OPERATOR_ACCOUNT])
    return system


def _spawn(name: str, args: list[str], env: dict[str, str],
           pass_fds: tuple[int, ...] = ()) -> subprocess.Popen[bytes]:
    logfile = open(VAR / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the child
    click.echo(f"  {name:<8} log: {VAR / (name + '.log')}")
    return subprocess.Popen([sys.executable, "-m", "keeper.cli", *args], stdout=logfile,
                            stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True,
                            pass_fds=pass_fds)


def _web_socket(port: int) -> socket.socket:
    """The dashboard's listening socket, bound here and inherited by `flashkeeper web --fd`:
    `port` if it is free, else one the kernel picks. Found free and let go, a port could be
    taken before the server bound it (the demo printed a URL that another process answered)."""
    sock = socket.socket()
    try:
        # as gunicorn binds: a demo rerun within a minute finds the last one's connections in
        # TIME_WAIT on the port, which only a listener still there should keep it from
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sock.bind(("127.0.0.1", 0))
        sock.listen(WEB_BACKLOG)
    except BaseException:
        sock.close()
        raise
    return sock


@click.command("demo")
@click.option("--port", type=int, default=None, help="anvil port (default: settings, 8545)")
@click.option("--web-port", type=int, default=int(os.environ.get("FLASHKEEPER_WEB_PORT", 8000)))
@click.option("--block-time", type=float, default=None, help="seconds per block (default 2)")
def demo(port: int | None, web_port: int, block_time: float | None) -> None:
    """Run the whole system locally until Ctrl-C."""
    settings = KeeperSettings()
    VAR.mkdir(exist_ok=True)
    bt = settings.block_time if block_time is None else block_time
    anvil = Anvil(port=port or settings.anvil_port, chain_id=settings.chain_id,
                  block_time=None, log_path=VAR / "anvil.log")
    children: list[subprocess.Popen[bytes]] = []
    stop = threading.Event()
    try:
        start_anvil(anvil)
        click.echo(f"anvil on {anvil.http_url} (chain {settings.chain_id})")
        w3 = http_web3(anvil.http_url, timeout=60)
        t0 = time.monotonic()
        manifest = _deploy(w3)  # auto-mined: fast
        manifest_path = settings.manifest
        save_manifest(manifest, manifest_path)
        click.echo(f"world deployed in {time.monotonic() - t0:.1f}s: {len(manifest.tokens)} "
                   f"tokens, {len(manifest.pools)} pools -> {manifest_path}")
        if manifest.system.dex_registry:
            click.echo(f"  DexRegistry {manifest.system.dex_registry}, PriceFeedRegistry "
                       f"{manifest.system.price_feed_registry} (the keeper trades the "
                       "registry's enabled DEXes)")
        if bt:
            # from here on blocks come every `bt` seconds, so pending transactions are visible
            # anvil takes whole seconds here; an error must stop the demo, not freeze the chain
            rpc(anvil.http_url, "evm_setIntervalMining", max(1, round(bt)))
            rpc(anvil.http_url, "evm_setAutomine", False)

        env = dict(os.environ)
        env.update({
            "FLASHKEEPER_RPC_URL": anvil.http_url,
            "FLASHKEEPER_WS_URL": anvil.ws_url,
            "FLASHKEEPER_MANIFEST": str(manifest_path),
            "FLASHKEEPER_DATABASE_URL": settings.database_url,
        })
        from keeper.market.config import MarketConfig
        from keeper.market.simulator import MarketSimulator

        sim = MarketSimulator(w3, manifest, MarketConfig())
        sim.setup()
        def market_line(block: int, txs: list) -> None:
            if block % 15 == 0:
                swaps = sum(1 for t in txs if t.kind == "swap")
                last = meter.records[-1] if meter.records else None
                avail = f", arbitrage available ${last.best_profit_usd:,.2f}" if last else ""
                click.echo(f"  block {block}: market sent {swaps} swaps{avail}")

        from keeper.market.meter import ArbitrageMeter, record_path

        meter = ArbitrageMeter(w3, manifest, record_path(sim.cfg.seed))
        market = threading.Thread(target=sim.run, args=(stop, market_line),
                                  kwargs={"meter": meter}, name="market", daemon=True)
        market.start()
        click.echo(f"market simulator running (seed {sim.cfg.seed})")
        with_web = importlib.util.find_spec("web.cli") is not None
        if not with_web:
            children.append(_spawn("keeper", ["keeper"], env))
        click.echo("")
        if with_web:
            with _web_socket(web_port) as web_sock:  # the child holds it once spawned
                public = f"http://127.0.0.1:{web_sock.getsockname()[1]}"
                # demo only: the admin buttons sign with a local node account (the public test
                # mnemonic) that grant_operator gave the dashboard's roles (see its docstring)
                env.setdefault("FLASHKEEPER_ADMIN_KEY", dev_key(OPERATOR_ACCOUNT))
                web_env = dict(env, FLASHKEEPER_WEB_DEMO="1", FLASHKEEPER_WEB_OAUTH_STANDIN="1",
                               FLASHKEEPER_WEB_PUBLIC_URL=public)
                # one account per role, bound to the stand-in provider at first login
                for login, role in (("admin", "admin"), ("trader", "trader"),
                                    ("viewer", "viewer")):
                    subprocess.run([sys.executable, "-m", "keeper.cli", "users", "add", login,
                                    "--role", role, "--provider", "standin"], env=web_env,
                                   cwd=ROOT, check=True, capture_output=True)
                # the keeper runs inside the web process: they share the in-process bus, so the
                # dashboard is live with nothing else installed (Redis joins separate processes)
                children.append(_spawn("web", ["web", "--with-keeper", "--fd",
                                               str(web_sock.fileno())], web_env,
                                       pass_fds=(web_sock.fileno(),)))
            click.echo(f"  Dashboard:  {public}/   (REST API under /api, OpenAPI at "
                       "/api/openapi.json)")
            click.echo(f"  Log in:     {public}/auth/login/standin, then sign in as admin, "
                       "trader or viewer")
            click.echo("              (a local stand-in for GitHub/Google; demo mode only)")
        else:
            click.echo("  Dashboard:  not built yet. What the demo shows today: the keeper's")
            click.echo("              per-block opportunities in var/keeper.log and the table")
            shown = make_url(settings.database_url).render_as_string(hide_password=True)
            click.echo(f"              `opportunities` in {shown}, and the")
            click.echo("              market's available-arbitrage record in var/market/.")
        click.echo(f"  Node:       {anvil.http_url}  (ws {anvil.ws_url}), block every {bt}s")
        click.echo(f"  Manifest:   {manifest_path}")
        click.echo("  Ctrl-C stops everything.")
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while not stop.is_set():
            for child in children:
                if child.poll() is not None and not getattr(child, "_reported", False):
                    click.echo(f"  a child process exited with {child.returncode}; see var/*.log")
                    child._reported = True  # type: ignore[attr-defined]
            stop.wait(1.0)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        anvil.stop()
        click.echo("stopped: anvil, market, keeper, web")
