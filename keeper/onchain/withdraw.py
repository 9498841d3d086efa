"""Taking profits out of the executor (`ape run withdraw`): what to send, checked before
anything is sent, then one admin-only `withdraw(token, to, amount)` per token.

The executor keeps what its executes earn until an admin withdraws it; this is that step
without `ape console`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from eth_utils import is_address, to_checksum_address
from web3 import Web3

from keeper.chain.pool_reader import BALANCE_OF, batch_call
from keeper.errors import ConfigError
from keeper.manifest import Manifest, Token
from keeper.onchain.deploy_system import DEFAULT_ADMIN_ROLE, executor_contract
from keeper.world.deploy import Submit, _Tx


@dataclass(frozen=True)
class Withdrawal:
    token: Token
    amount: int  # in the token's smallest unit

    def shown(self) -> str:
        units = Decimal(self.amount).scaleb(-self.token.decimals).normalize()
        return f"{units:f} {self.token.symbol}"


def parse_amount(text: str, decimals: int) -> int:
    """`text` (\"1.5\") in a token's smallest unit; ConfigError unless it is a positive number
    the token can represent exactly (a digit past its decimals would be silently dropped)."""
    try:
        value = Decimal(text)
        if not value.is_finite():  # NaN, sNaN (which raises on any arithmetic), Infinity
            raise InvalidOperation
    except InvalidOperation:
        raise ConfigError(f"amount {text!r} is not a number") from None
    units = value.scaleb(decimals)
    if value <= 0 or units != units.to_integral_value():
        raise ConfigError(f"amount {text!r} is not a positive amount with at most {decimals} "
                          "decimals")
    return int(units)


def plan_withdrawals(w3: Web3, manifest: Manifest, to: str, tokens: Sequence[str] = (),
                     amount: str | None = None) -> tuple[str, list[Withdrawal]]:
    """(the recipient checksummed, what to withdraw): each token named (symbol or address),
    by default every well-behaved token of the manifest the executor holds; the whole balance,
    or `amount` of the one token named. ConfigError naming the first problem: a recipient that
    is not an address or is the zero address, no executor on the node, an unknown token, an
    amount with no single token, a bad amount, or more than the executor holds."""
    if not is_address(to):
        raise ConfigError(f"recipient {to!r} is not an address")
    if int(to, 16) == 0:  # the executor refuses it too: WETH9 would take it and burn it
        raise ConfigError("recipient is the zero address")
    executor = manifest.system.executor
    if not executor or not w3.eth.get_code(to_checksum_address(executor)):
        raise ConfigError(f"no executor at the manifest's address ({executor}) on chain "
                          f"{manifest.chain_id}: deploy the system first (ape run deploy)")
    if amount is not None and len(tokens) != 1:
        raise ConfigError("--amount needs exactly one --token")
    try:
        chosen = [manifest.token(t) for t in tokens] or [
            t for t in manifest.tokens if not t.hostile]
    except KeyError as e:
        raise ConfigError(f"token {e.args[0]!r} is not in the manifest") from None
    held = batch_call(w3, [BALANCE_OF(t.address, executor) for t in chosen])
    plan = []
    for token, balance in zip(chosen, held, strict=True):
        want = balance if amount is None else parse_amount(amount, token.decimals)
        if want > balance:
            raise ConfigError(f"the executor holds {Withdrawal(token, balance).shown()}, less "
                              f"than {Withdrawal(token, want).shown()}")
        if want:
            plan.append(Withdrawal(token, want))
    return to_checksum_address(to), plan


def require_admin(w3: Web3, manifest: Manifest, sender: str) -> None:
    """ConfigError unless `sender` may withdraw (DEFAULT_ADMIN_ROLE on the executor): the
    transaction would revert, after the operator confirmed it."""
    if not executor_contract(w3, manifest).functions.hasRole(DEFAULT_ADMIN_ROLE, sender).call():
        raise ConfigError(f"{sender} is not the executor's admin: only DEFAULT_ADMIN_ROLE "
                          "withdraws")


def send_withdrawals(w3: Web3, manifest: Manifest, plan: Sequence[Withdrawal], to: str,
                     admin: str, submit: Submit | None = None, timeout: float = 30.0,
                     progress: Callable[[str], None] | None = None) -> None:
    """One `withdraw` per entry of the plan, from `admin` (a node account, or any signer
    through `submit`); each one must succeed, and `progress` is told of each as it lands."""
    tx = _Tx(w3, admin, submit, timeout, progress)
    executor = executor_contract(w3, manifest).functions
    for w in plan:
        tx.send(executor.withdraw(w.token.address, to, w.amount), f"withdraw {w.shown()} to {to}")
