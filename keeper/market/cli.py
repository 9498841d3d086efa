"""`flashkeeper market`: run the market simulator against a node with the world deployed."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from keeper.chain.node_check import check_manifest_on_node, connect, require_dev_chain
from keeper.config import KeeperSettings
from keeper.errors import FlashkeeperError
from keeper.manifest import load_manifest
from keeper.market.config import MarketConfig


@click.command("market")
@click.option("--rpc-url", default=None)
@click.option("--manifest", "manifest_path", type=click.Path(path_type=Path), default=None)
@click.option("--seed", type=int, default=None)
@click.option("--steps", type=int, default=0, help="stop after N blocks (0: until Ctrl-C)")
def market(rpc_url: str | None, manifest_path: Path | None, seed: int | None,
           steps: int) -> None:
    """Seeded random-walk prices, noise traders through the real routers, live oracles."""
    from keeper.market.simulator import MarketSimulator

    settings = KeeperSettings()
    try:
        manifest = load_manifest(manifest_path or settings.manifest)
        w3 = connect(rpc_url or settings.rpc_url)
        require_dev_chain(w3, "the market simulator mints test tokens")
        check_manifest_on_node(w3, manifest)
    except FlashkeeperError as e:
        raise click.ClickException(str(e)) from e
    cfg = MarketConfig() if seed is None else MarketConfig(seed=seed)
    sim = MarketSimulator(w3, manifest, cfg)
    sim.setup()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def report(block: int, txs: list) -> None:
        click.echo(f"block {block}: {len(txs)} txs (seed {cfg.seed}, step {sim.steps})")
        if steps and sim.steps >= steps:
            stop.set()

    from keeper.market.meter import ArbitrageMeter, record_path

    record = record_path(cfg.seed)
    meter = ArbitrageMeter(w3, manifest, record)
    click.echo(f"recording available arbitrage per block -> {record}")
    try:
        sim.run(stop, on_step=report, meter=meter)
    except KeyboardInterrupt:
        stop.set()
