"""Run Slither on the project's contracts through the solc-js shim's --standard-json.

crytic-compile's standard-JSON platform drives `toolchain/bin/solc-v0.8.28`, so no solc is
downloaded. Prints every finding's impact count; exits 1 if a High or Medium finding remains
that no `slither-disable` comment (with its reason beside it) explains.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from crytic_compile import CryticCompile
from crytic_compile.platform.solc_standard_json import (
    SolcStandardJson,
    add_optimization,
    add_via_ir,
)
from slither import Slither
from slither.detectors import all_detectors

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("contracts/registry", "contracts/executor", "contracts/common", "contracts/proxy")


def main() -> int:
    std = SolcStandardJson()
    for folder in SOURCES:
        for f in sorted((ROOT / folder).glob("*.sol")):
            std.add_source_file(str(f))
    nm = ROOT / "node_modules" / "@openzeppelin"
    std.add_remapping(f"@openzeppelin/contracts-upgradeable={nm / 'contracts-upgradeable'}")
    std.add_remapping(f"@openzeppelin/contracts={nm / 'contracts'}")
    std.add_remapping(f"@flashkeeper/interfaces={ROOT / 'interfaces'}")
    # as ape-config.yaml builds them: the executor's assembly hot path is too deep for the
    # legacy pipeline's stack ("Stack too deep"), and the analysis should see what deploys
    add_via_ir(std.to_dict(), True)
    runs = re.search(r"^\s*optimization_runs:\s*(\d+)", (ROOT / "ape-config.yaml").read_text(),
                     re.MULTILINE)
    if runs is None:
        raise SystemExit("ape-config.yaml names no solidity optimization_runs")
    add_optimization(std.to_dict(), True, int(runs.group(1)))
    compiled = CryticCompile(std, solc=str(ROOT / "toolchain" / "bin" / "solc-v0.8.28"),
                             solc_working_dir=str(ROOT))
    slither = Slither(compiled)
    for _, detector in inspect.getmembers(all_detectors, inspect.isclass):
        slither.register_detector(detector)
    counts: dict[str, int] = {}
    serious = []
    for findings in slither.run_detectors():
        for f in findings:
            where = [e.get("source_mapping", {}).get("filename_relative", "")
                     for e in f.get("elements", [])]
            if where and all("node_modules" in w for w in where):
                continue  # OpenZeppelin's own code
            counts[f["impact"]] = counts.get(f["impact"], 0) + 1
            if f["impact"] in ("High", "Medium"):
                serious.append(f"{f['impact']} {f['check']}: {f['description'].strip()}")
    print("slither findings by impact (project code):", counts)
    for line in serious:
        print(line)
    return 1 if serious else 0


if __name__ == "__main__":
    sys.exit(main())
