"""`ape compile` with the project's solc-js shim: no download, real errors with file and line."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIM = ROOT / "toolchain" / "bin" / "solc-v0.8.28"
OZ = ROOT / "node_modules" / "@openzeppelin" / "contracts"


@pytest.fixture
def ape_project(tmp_path: Path) -> Path:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "ape-config.yaml").write_text(textwrap.dedent(f"""
        name: shimprobe
        dependencies:
          - name: openzeppelin
            local: {OZ}
            version: 5.7.0
            config_override:
              contracts_folder: .
        solidity:
          version: 0.8.28
          import_remapping:
            - "@openzeppelin/contracts=openzeppelin/5.7.0"
    """))
    return tmp_path


def _ape_compile(project: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SOLCX_BINARY_PATH=str(SHIM.parent),
               APE_DATA_FOLDER=str(project / ".ape"))
    return subprocess.run([str(ROOT / ".venv" / "bin" / "ape"), "compile", "--force"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300)


def test_shim__answers_version_like_native_solc():
    out = subprocess.run([str(SHIM), "--version"], capture_output=True, text=True, check=True)
    assert "Version: 0.8.28+commit.7893614a" in out.stdout


def test_shim__standard_json__resolves_imports_from_include_path(tmp_path: Path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "A.sol").write_text("pragma solidity 0.8.28; contract A { uint x; }")
    source = 'pragma solidity 0.8.28; import "A.sol"; contract B is A {}'
    request = {"language": "Solidity", "sources": {"B.sol": {"content": source}},
               "settings": {"outputSelection": {"*": {"*": ["abi", "evm.bytecode.object"]}}}}
    out = subprocess.run([str(SHIM), "--standard-json", "--include-path", str(tmp_path / "lib"),
                          "--base-path", str(tmp_path)], input=json.dumps(request),
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert not [e for e in result.get("errors", []) if e["severity"] == "error"]
    assert result["contracts"]["B.sol"]["B"]["evm"]["bytecode"]["object"]


def test_ape_compile__contract_importing_openzeppelin__succeeds(ape_project: Path):
    (ape_project / "contracts" / "Owned.sol").write_text(textwrap.dedent("""
        // SPDX-License-Identifier: MIT
        pragma solidity 0.8.28;
        import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
        contract Owned is Ownable { constructor() Ownable(msg.sender) {} }
    """))
    result = _ape_compile(ape_project)
    assert result.returncode == 0, result.stdout + result.stderr
    built = json.loads((ape_project / ".build" / "__local__.json").read_text())
    abi_names = {f.get("name") for f in built["contractTypes"]["Owned"]["abi"]}
    assert {"owner", "transferOwnership"} <= abi_names


def test_ape_compile__syntax_error__reports_file_and_line(ape_project: Path):
    (ape_project / "contracts" / "Broken.sol").write_text(
        "// SPDX-License-Identifier: MIT\npragma solidity 0.8.28;\n\ncontract Broken {\n"
        "    uint256 x = ;\n}\n"
    )
    result = _ape_compile(ape_project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "ParserError" in output
    assert "Broken.sol:5" in output


def test_interfaces__compiled_by_ape__every_protocol_interface_has_an_abi():
    """`make compile` compiles interfaces/ as the local dependency flashkeeper-interfaces."""
    import glob

    env = dict(os.environ, SOLCX_BINARY_PATH=str(SHIM.parent))
    script = (
        "from ape import project\n"
        "dep = project.dependencies.get_dependency('flashkeeper-interfaces', 'local')\n"
        "print(','.join(sorted(dep.project.contracts)))\n"
        "print(len(dep.project.IUniswapV2Callee.contract_type.abi))\n"
    )
    out = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", script], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    names, callee_abi = out.stdout.strip().splitlines()[-2:]
    expected = {
        "IERC20", "IWETH", "IUniswapV2Pair", "IUniswapV2Factory", "IUniswapV2Callee",
        "IUniswapV3Pool", "IUniswapV3Factory", "IUniswapV3SwapCallback",
        "IUniswapV3FlashCallback", "IBalancerVault", "IFlashLoanRecipient", "IAaveV3Pool",
        "IFlashLoanSimpleReceiver", "AggregatorV3Interface",
    }
    assert expected <= set(names.split(","))
    assert int(callee_abi) == 1
    assert len(glob.glob(str(ROOT / "interfaces" / "*.sol"))) >= 10


def test_ape_compile__vyper_contract__uses_pip_vyper_without_download(tmp_path: Path):
    (tmp_path / "contracts").mkdir()
    (tmp_path / "ape-config.yaml").write_text("name: vyprobe\n")
    (tmp_path / "contracts" / "Hello.vy").write_text(
        "# pragma version 0.4.3\ngreeting: public(String[32])\n\n@deploy\ndef __init__():\n"
        '    self.greeting = "hello"\n')
    env = dict(os.environ, VVM_BINARY_PATH=str(SHIM.parent),
               APE_DATA_FOLDER=str(tmp_path / ".ape"))
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "ape"), "compile"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    built = json.loads((tmp_path / ".build" / "__local__.json").read_text())
    assert {f.get("name") for f in built["contractTypes"]["Hello"]["abi"]} >= {"greeting"}
