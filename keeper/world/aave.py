"""An Aave V3 market from `@aave/core-v3`'s published build, for flash loans
(`flashLoanSimple`): addresses provider, ACL, the Pool and its configurator behind Aave's own
proxies, linked logic libraries, one reserve per token with aToken/debt-token implementations
and an interest-rate strategy, flash loans enabled, and liquidity supplied.

No price oracle: supplying and flash loans never read one (borrowing would)."""

from __future__ import annotations

from dataclasses import dataclass

from web3 import Web3

from keeper.world.artifacts import npm_artifact
from keeper.world.deploy import _Tx

RAY = 10**27
# Aave's own reference parameters for a volatile asset
RATE_STRATEGY = (80 * RAY // 100, 0, 4 * RAY // 100, 300 * RAY // 100, 2 * RAY // 100,
                 300 * RAY // 100, 2 * RAY // 100, 5 * RAY // 100, 20 * RAY // 100)
FLASH_PREMIUM_BPS = 5  # Aave V3's deployed flash-loan premium, 0.05%
RESERVES_PER_TX = 8
LIBRARIES = ("BorrowLogic", "BridgeLogic", "EModeLogic", "LiquidationLogic", "PoolLogic",
             "SupplyLogic", "FlashLoanLogic", "ConfiguratorLogic")  # FlashLoanLogic links Borrow


@dataclass(frozen=True)
class AaveMarket:
    pool: str
    provider: str
    configurator: str
    premium_bps: int


def deploy_aave(tx: _Tx, reserves: list[tuple[str, str, int, int]]) -> AaveMarket:
    """`reserves`: (symbol, token address, decimals, amount to supply from the sender)."""
    admin = tx.sender
    provider = tx.deploy(npm_artifact("AavePoolAddressesProvider"), "Flashkeeper", admin)
    tx.send(provider.functions.setACLAdmin(admin), "aave: ACL admin")
    acl = tx.deploy(npm_artifact("AaveACLManager"), provider.address)
    tx.send(provider.functions.setACLManager(acl.address), "aave: ACL manager")
    tx.send(acl.functions.addPoolAdmin(admin), "aave: pool admin")

    libraries: dict[str, str] = {}
    for name in LIBRARIES:
        lib = tx.deploy(npm_artifact(f"Aave{name}").linked(libraries))
        libraries[name] = lib.address
    pool_impl = tx.deploy(npm_artifact("AavePool").linked(libraries), provider.address)
    tx.send(provider.functions.setPoolImpl(pool_impl.address), "aave: pool")
    pool_art = npm_artifact("AavePool")
    pool = tx.w3.eth.contract(address=provider.functions.getPool().call(), abi=pool_art.abi)
    configurator_impl = tx.deploy(npm_artifact("AavePoolConfigurator").linked(libraries))
    tx.send(provider.functions.setPoolConfiguratorImpl(configurator_impl.address),
            "aave: configurator")
    configurator = tx.w3.eth.contract(address=provider.functions.getPoolConfigurator().call(),
                                      abi=npm_artifact("AavePoolConfigurator").abi)

    a_token = tx.deploy(npm_artifact("AaveAToken"), pool.address)
    variable = tx.deploy(npm_artifact("AaveVariableDebtToken"), pool.address)
    stable = tx.deploy(npm_artifact("AaveStableDebtToken"), pool.address)
    strategy = tx.deploy(npm_artifact("AaveDefaultReserveInterestRateStrategy"),
                         provider.address, *RATE_STRATEGY)
    inputs = [(a_token.address, stable.address, variable.address, decimals, strategy.address,
               token, admin, "0x" + "00" * 20, f"Aave {symbol}", f"a{symbol}",
               f"Aave variable debt {symbol}", f"variableDebt{symbol}",
               f"Aave stable debt {symbol}", f"stableDebt{symbol}", b"")
              for symbol, token, decimals, _ in reserves]
    # each reserve deploys three token proxies (~0.7M gas): a few per transaction, so that a
    # world of many tokens stays under the block gas limit
    for i in range(0, len(inputs), RESERVES_PER_TX):
        tx.send(configurator.functions.initReserves(inputs[i:i + RESERVES_PER_TX]),
                f"aave: reserves {i + 1}-{min(len(inputs), i + RESERVES_PER_TX)}")
    tx.send(configurator.functions.updateFlashloanPremiumTotal(FLASH_PREMIUM_BPS),
            "aave: flash premium")
    erc20 = [{"name": "approve", "type": "function", "stateMutability": "nonpayable",
              "inputs": [{"name": "s", "type": "address"}, {"name": "a", "type": "uint256"}],
              "outputs": [{"name": "", "type": "bool"}]}]
    for symbol, token, _, amount in reserves:
        tx.send(configurator.functions.setReserveFlashLoaning(token, True),
                f"aave: flash loans of {symbol}")
        if amount:
            t = tx.w3.eth.contract(address=Web3.to_checksum_address(token), abi=erc20)
            tx.send(t.functions.approve(pool.address, amount), f"aave: approve {symbol}")
            tx.send(pool.functions.supply(token, amount, admin, 0), f"aave: supply {symbol}")
    return AaveMarket(pool=pool.address, provider=provider.address,
                      configurator=configurator.address, premium_bps=FLASH_PREMIUM_BPS)
