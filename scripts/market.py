"""`ape run market`: run the market simulator on the connected local network.

Reads the manifest written by `ape run world` (deployments/local.json by default).
"""

import threading
from pathlib import Path

import click
from ape import chain
from ape.cli import network_option

from keeper.market.config import MarketConfig
from keeper.market.simulator import MarketSimulator
from keeper.onchain.ape_cli import (
    manifest_option,
    node_command,
    read_manifest,
    require_dev_chain,
)


@click.command(cls=node_command())
@network_option()
@manifest_option
@click.option("--seed", type=int, default=7)
@click.option("--steps", type=int, default=0, help="stop after N blocks (0: until Ctrl-C)")
def cli(manifest_path: Path, seed: int, steps: int) -> None:
    require_dev_chain("the market simulator mints test tokens")
    manifest = read_manifest(manifest_path, world=True)
    sim = MarketSimulator(chain.provider.web3, manifest, MarketConfig(seed=seed))
    sim.setup()
    stop = threading.Event()

    def report(block: int, txs: list) -> None:
        click.echo(f"block {block}: {len(txs)} txs")
        if steps and sim.steps >= steps:
            stop.set()

    try:
        sim.run(stop, on_step=report)
    except KeyboardInterrupt:
        stop.set()
