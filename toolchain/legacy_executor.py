"""Build FlashArbExecutor's creation code as it was at an older commit, for the rollback tests.

The upgrade tests roll a proxy back to an implementation that predates a cache (the execute
gate, the flags in the ERC-1967 slot) and forward again. A planted-storage stand-in would only
show what we think an older implementation did; this compiles what it did, from git, with the
settings those commits were built with (0.8.28, via-IR, 10,000 runs, cancun; ape-config.yaml
has 5,000 runs since 2026-11-27) through the solc-js shim.

    python toolchain/legacy_executor.py f56ea24 ddc15a0

writes tests/executor/legacy/<commit>.json: {"commit", "subject", "bytecode"}. The output is
committed, so the tests need neither git history (CI's clone may be shallow) nor a compile.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "contracts/executor/FlashArbExecutor.sol"
OUT = ROOT / "tests" / "executor" / "legacy"


def _git(*args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True).stdout


def build(commit: str) -> dict[str, str]:
    full = _git("rev-parse", "--verify", f"{commit}^{{commit}}").decode().strip()
    subject = _git("log", "-1", "--format=%s", full).decode().strip()
    with tempfile.TemporaryDirectory() as tmp:
        archive = _git("archive", full, "contracts", "interfaces")
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        nm = ROOT / "node_modules" / "@openzeppelin"
        std = {
            "language": "Solidity",
            "sources": {SOURCE: {"urls": [SOURCE]}},
            "settings": {
                "viaIR": True,
                "optimizer": {"enabled": True, "runs": 10_000},
                "evmVersion": "cancun",
                "remappings": [
                    f"@openzeppelin/contracts-upgradeable/={nm / 'contracts-upgradeable'}/",
                    f"@openzeppelin/contracts/={nm / 'contracts'}/",
                    f"@flashkeeper/interfaces/={tmp}/interfaces/",
                ],
                "outputSelection": {SOURCE: {"FlashArbExecutor": ["evm.bytecode.object"]}},
            },
        }
        solc = ROOT / "toolchain" / "bin" / "solc-v0.8.28"
        run = subprocess.run([str(solc), "--standard-json", "--base-path", tmp],
                             input=json.dumps(std).encode(), capture_output=True, check=True)
    out = json.loads(run.stdout)
    errors = [e["formattedMessage"] for e in out.get("errors", []) if e["severity"] == "error"]
    if errors:
        raise SystemExit(f"{commit}: compile failed\n" + "\n".join(errors))
    code = out["contracts"][SOURCE]["FlashArbExecutor"]["evm"]["bytecode"]["object"]
    return {"commit": full, "subject": subject[:160], "bytecode": "0x" + code}


def main(commits: list[str]) -> int:
    if not commits:
        print(__doc__)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    for commit in commits:
        built = build(commit)
        path = OUT / f"{commit}.json"
        path.write_text(json.dumps(built, indent=1) + "\n")
        print(f"{path.relative_to(ROOT)}: {len(built['bytecode']) // 2 - 1} bytes of creation code")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
