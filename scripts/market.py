"""`ape run market`: run the market simulator on the connected local network.

Reads the manifest written by `ape run world` (deployments/local.json by default).
"""

import threading
from pathlib import Path

import click
from ape import chain
from ape.cli import ConnectedProviderCommand, network_option

from keeper.manifest import load_manifest
from keeper.market.config import MarketConfig
from keeper.market.simulator import MarketSimulator

DEFAULT_MANIFEST = Path(__file__).resolve().parents[1] / "deployments" / "local.json"


@click.command(cls=ConnectedProviderCommand)
@network_option()
@click.option("--manifest", "manifest_path", type=click.Path(path_type=Path),
              default=DEFAULT_MANIFEST)
@click.option("--seed", type=int, default=7)
@click.option("--steps", type=int, default=0, help="stop after N blocks (0: until Ctrl-C)")
def cli(manifest_path: Path, seed: int, steps: int) -> None:
    if not chain.provider.network.is_local:
        raise click.ClickException("the market simulator mints test tokens: local networks only")
    manifest = load_manifest(manifest_path)
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
