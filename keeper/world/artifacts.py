"""Load contract artifacts: the protocols' published npm builds and this project's ape build."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from keeper.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
APE_BUILD = ROOT / ".build" / "__local__.json"



def _aave(folder: str, name: str) -> str:
    return f"@aave/core-v3/artifacts/contracts/{folder}/{name}.sol/{name}.json"


# name -> path under node_modules; every one is the protocol's own published build
NPM_ARTIFACTS: dict[str, str] = {
    "WETH9": "canonical-weth/build/contracts/WETH9.json",
    "UniswapV2Factory": "@uniswap/v2-core/build/UniswapV2Factory.json",
    "UniswapV2Pair": "@uniswap/v2-core/build/UniswapV2Pair.json",
    "UniswapV2Router02": "@uniswap/v2-periphery/build/UniswapV2Router02.json",
    "UniswapV3Factory": (
        "@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json"
    ),
    "UniswapV3Pool": "@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json",
    "SwapRouter": "@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json",
    "QuoterV2": "@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json",
    "NonfungiblePositionManager": (
        "@uniswap/v3-periphery/artifacts/contracts/"
        "NonfungiblePositionManager.sol/NonfungiblePositionManager.json"
    ),
    # Aave V3 (the flash-loan source `flashLoanSimple`); libraries are linked at deploy time
    "AavePoolAddressesProvider": _aave("protocol/configuration", "PoolAddressesProvider"),
    "AaveACLManager": _aave("protocol/configuration", "ACLManager"),
    "AavePool": _aave("protocol/pool", "Pool"),
    "AavePoolConfigurator": _aave("protocol/pool", "PoolConfigurator"),
    "AaveDefaultReserveInterestRateStrategy": _aave("protocol/pool",
                                                    "DefaultReserveInterestRateStrategy"),
    "AaveAToken": _aave("protocol/tokenization", "AToken"),
    "AaveVariableDebtToken": _aave("protocol/tokenization", "VariableDebtToken"),
    "AaveStableDebtToken": _aave("protocol/tokenization", "StableDebtToken"),
    "AaveBorrowLogic": _aave("protocol/libraries/logic", "BorrowLogic"),
    "AaveBridgeLogic": _aave("protocol/libraries/logic", "BridgeLogic"),
    "AaveEModeLogic": _aave("protocol/libraries/logic", "EModeLogic"),
    "AaveFlashLoanLogic": _aave("protocol/libraries/logic", "FlashLoanLogic"),
    "AaveLiquidationLogic": _aave("protocol/libraries/logic", "LiquidationLogic"),
    "AavePoolLogic": _aave("protocol/libraries/logic", "PoolLogic"),
    "AaveSupplyLogic": _aave("protocol/libraries/logic", "SupplyLogic"),
    "AaveConfiguratorLogic": _aave("protocol/libraries/logic", "ConfiguratorLogic"),
    "BalancerVault": "@balancer-labs/v2-deployments/dist/tasks/20210418-vault/artifact/Vault.json",
    "BalancerAuthorizer": (
        "@balancer-labs/v2-deployments/dist/tasks/20210418-authorizer/artifact/Authorizer.json"
    ),
}


@dataclass(frozen=True)
class Artifact:
    name: str
    abi: list[dict]
    bytecode: str  # creation code, 0x-prefixed
    # library name -> byte ranges (start, length) of the creation code to fill with its address
    links: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = ()

    def linked(self, addresses: dict[str, str]) -> Artifact:
        """The creation code with every library placeholder replaced by its address."""
        if not self.links:
            return self
        hexcode = self.bytecode[2:]
        for lib, ranges in self.links:
            if lib not in addresses:
                raise ConfigError(f"{self.name} needs library {lib} deployed first")
            address = addresses[lib].lower().removeprefix("0x")
            for start, length in ranges:
                hexcode = hexcode[:2 * start] + address + hexcode[2 * (start + length):]
        return Artifact(self.name, self.abi, "0x" + hexcode)

    @property
    def deployable(self) -> bool:
        return len(self.bytecode) > 2


def _hex(code: str) -> str:
    return code if code.startswith("0x") else "0x" + code


@cache
def npm_artifact(name: str) -> Artifact:
    try:
        path = NODE_MODULES / NPM_ARTIFACTS[name]
    except KeyError:
        raise ConfigError(f"unknown npm artifact {name!r}") from None
    try:
        data = json.loads(path.read_text())
    except OSError as e:
        raise ConfigError(f"{path} missing: run `npm ci` ({e.strerror})") from e
    code = data["bytecode"]
    if isinstance(code, dict):
        code = code["object"]
    links = tuple((lib, tuple((r["start"], r["length"]) for r in ranges))
                  for libs in (data.get("linkReferences") or {}).values()
                  for lib, ranges in libs.items())
    return Artifact(name, data["abi"], _hex(code), links)


@cache
def _ape_build() -> dict:
    try:
        return json.loads(APE_BUILD.read_text()).get("contractTypes", {})
    except OSError as e:
        raise ConfigError(f"{APE_BUILD} missing: run `make compile` ({e.strerror})") from e


def project_artifact(name: str) -> Artifact:
    """A contract of this project, as compiled by `ape compile`."""
    types = _ape_build()
    if name not in types:
        raise ConfigError(f"contract {name!r} is not in {APE_BUILD}: run `make compile`")
    ct = types[name]
    code = (ct.get("deploymentBytecode") or {}).get("bytecode") or "0x"
    return Artifact(name, ct["abi"], _hex(code))


def abi(name: str) -> list[dict]:
    """ABI by name from either source (npm first: protocols win over local interfaces)."""
    if name in NPM_ARTIFACTS:
        return npm_artifact(name).abi
    return project_artifact(name).abi
