"""Every external function of the three contracts carries NatSpec (read from the compiler's
userdoc and devdoc in the build), so a function added without docs fails here."""

from __future__ import annotations

import json

import pytest

from tests.contracts.conftest import BUILD

# OpenZeppelin's own getters, which OpenZeppelin ships undocumented
UNDOCUMENTED_UPSTREAM = {"DEFAULT_ADMIN_ROLE", "UPGRADE_INTERFACE_VERSION"}


@pytest.mark.parametrize("name", ["DexRegistry", "PriceFeedRegistry", "FlashArbExecutor"])
def test_natspec__every_external_function__documented(name):
    contract = json.loads(BUILD.read_text())["contractTypes"][name]
    notices = contract["userdoc"].get("methods", {})
    details = contract["devdoc"].get("methods", {})
    documented = {sig.split("(")[0] for sig, doc in notices.items() if doc.get("notice")}
    documented |= {sig.split("(")[0] for sig, doc in details.items() if doc.get("details")}
    functions = {e["name"] for e in contract["abi"] if e["type"] == "function"}
    assert len(functions) > 10
    assert functions - documented - UNDOCUMENTED_UPSTREAM == set()
