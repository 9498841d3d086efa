"""Sending through an ape account (a keystore account on a live network): the operator unlocks
it once, after confirming the whole batch, and every transaction is signed in ape's keystore.
The key never leaves ape; nothing here sees it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from keeper.world.deploy import Submit


def ape_submit(account: Any) -> Submit:
    """A `Submit` for deploy_system: ape fills nonce, gas and fees, signs and waits."""
    from ape import chain

    def submit(tx: dict) -> str:
        fields = {"data": tx["data"], "value": tx.get("value", 0), "chain_id": chain.chain_id,
                  "sender": account.address}
        if tx.get("to"):
            fields["receiver"] = tx["to"]
        txn = chain.provider.network.ecosystem.create_transaction(**fields)
        receipt = account.call(txn)
        h = receipt.txn_hash
        return h if isinstance(h, str) else "0x" + bytes(h).hex()

    return submit


@contextmanager
def unlocked(account: Any) -> Iterator[Any]:
    """Autosign for the batch the operator confirmed (the passphrase from
    APE_ACCOUNTS_<alias>_PASSPHRASE or a prompt), locked again afterwards."""
    if hasattr(account, "set_autosign"):
        account.set_autosign(True)
    try:
        yield account
    finally:
        if hasattr(account, "set_autosign"):
            account.set_autosign(False)
