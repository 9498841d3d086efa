"""Start and stop a local anvil node (from the npm package) for the demo, tests and benchmarks."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import requests
from web3 import Web3

from keeper.errors import NodeError

ROOT = Path(__file__).resolve().parents[2]
NPM_ANVIL = ROOT / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil"
DEFAULT_MNEMONIC = "test test test test test test test test test test test junk"
# anvil prints this once its socket is bound (with `--port 0`, the port the kernel chose)
_LISTENING = re.compile(rb"^Listening on [0-9.]+:(\d+)\s*$")


def anvil_path() -> str:
    """The npm binary first (pinned by package-lock), then whatever is on PATH."""
    if NPM_ANVIL.exists():
        return str(NPM_ANVIL)
    found = shutil.which("anvil")
    if found is None:
        raise NodeError("anvil not found: run `npm ci` (package @foundry-rs/anvil)")
    return found


@dataclass
class Anvil:
    """A running anvil process. `block_time=None` auto-mines; `0` means manual mining.

    `port=0` (the default) lets anvil bind a port the kernel picks, read back from its
    "Listening on" line: a port chosen here first could be taken by another process (the
    test lanes start nodes side by side) before anvil binds it, and then the first answer
    could come from that other node. A node is only asked once its own line has come."""

    port: int = 0
    chain_id: int = 31337
    block_time: float | None = None
    accounts: int = 10
    balance_eth: int = 1_000_000
    extra_args: tuple[str, ...] = ()
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    _output: threading.Thread | None = field(default=None, repr=False)

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> Anvil:
        args = [
            anvil_path(),
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--chain-id", str(self.chain_id),
            "--accounts", str(self.accounts),
            "--balance", str(self.balance_eth),
            "--mnemonic", DEFAULT_MNEMONIC,
            # The Uniswap V3 factory and the Balancer vault are just under 24 KiB; keep the
            # mainnet limit on so the world deploys exactly as on a real chain.
            "--gas-limit", "60000000",
        ]
        if self.block_time == 0:
            args.append("--no-mining")
        elif self.block_time is not None:
            args += ["--block-time", str(self.block_time)]
        args += list(self.extra_args)
        # opened here, so that a bad path fails now; unbuffered, so the log is current
        log = open(self.log_path, "ab", buffering=0) if self.log_path else None  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
            )
        except BaseException:
            if log is not None:
                log.close()
            raise
        bound, self._output = _watch_output(self.process, log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None and not bound.is_set():
                bound.drained.wait(1)  # its last words, for the error
                raise NodeError(f"anvil exited with {self.process.returncode} before listening "
                                f"on port {self.port or 'any'}: {bound.last_line or 'no output'}")
            if bound.wait(0.05):
                break
        else:
            self.stop()
            raise NodeError(f"anvil did not listen on port {self.port or 'any'} within {timeout}s")
        self.port = bound.port
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise NodeError(f"anvil exited with {self.process.returncode} on port {self.port}")
            try:
                r = requests.post(
                    self.http_url,
                    json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []},
                    timeout=1,
                )
                if r.ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.stop()
        raise NodeError(f"anvil did not answer on port {self.port} within {timeout}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._output is not None:
            self._output.join(timeout=5)  # the node's last lines reach the log
        self.process = None
        self._output = None

    def __enter__(self) -> Anvil:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Bound(threading.Event):
    """Set at the node's "Listening on" line, with the port; `drained` at the output's end"""

    def __init__(self) -> None:
        super().__init__()
        self.port = 0
        self.last_line = ""
        self.drained = threading.Event()


def _watch_output(process: subprocess.Popen[bytes],
                  log: BinaryIO | None) -> tuple[_Bound, threading.Thread]:
    """Drains the node's output into `log` (closed at the end) or nowhere, and sets the
    returned event, with the port, at its "Listening on" line. It drains to the end whatever
    happens to the log: a full pipe would stall the node, which writes a line per call."""
    bound = _Bound()

    def drain() -> None:
        assert process.stdout is not None
        logging = log
        try:
            for line in process.stdout:
                if logging is not None:
                    try:
                        logging.write(line)
                    except OSError:
                        logging = None  # a full disk ends the log, not the node
                if not bound.is_set():
                    if m := _LISTENING.match(line):
                        bound.port = int(m.group(1))
                        bound.set()
                    elif line.strip():
                        bound.last_line = line.decode(errors="replace").strip()[:300]
        finally:
            if log is not None:
                log.close()
            bound.drained.set()

    thread = threading.Thread(target=drain, name="anvil-output", daemon=True)
    thread.start()
    return bound, thread


def rpc(url: str, method: str, *params: object) -> object:
    """One JSON-RPC call; raises NodeError with the node's message on failure."""
    try:
        r = requests.post(
            url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)},
            timeout=30,
        )
        body = r.json()
    except (requests.RequestException, ValueError) as e:
        raise NodeError(f"{method} on {url} failed: {e}") from e
    if "error" in body:
        raise NodeError(f"{method} on {url}: {body['error'].get('message')}")
    return body["result"]




def wait_receipt(w3: Web3, tx_hash: bytes | str, timeout: float = 30.0) -> dict:
    """Poll for a receipt every millisecond: on an auto-mining anvil the block lands within a
    few ms, and web3's default 100 ms poll would dominate a test that sends thousands."""
    h = tx_hash if isinstance(tx_hash, str) else "0x" + bytes(tx_hash).hex()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        receipt = w3.provider.make_request("eth_getTransactionReceipt", [h]).get("result")
        if receipt is not None:
            return receipt
        time.sleep(0.001)
    raise NodeError(f"no receipt for {h} within {timeout}s")


def dev_key(index: int = 0) -> str:
    """The private key of the local node's account `index` (the public test mnemonic): for
    the demo and tests on anvil only; a real network's keys come from the keystore or env."""
    from eth_account import Account

    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(DEFAULT_MNEMONIC,
                                 account_path=f"m/44'/60'/0'/0/{index}").key.to_0x_hex()
