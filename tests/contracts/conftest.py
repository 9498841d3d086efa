"""ape fixtures: the registries behind their ERC-1967 proxies, initialized at deployment."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from ape.contracts import ContractContainer
from ethpm_types import ContractType

BUILD = Path(__file__).resolve().parents[2] / ".build" / "__local__.json"


@pytest.fixture(scope="session")
def project():
    """The compiled contracts, read from `make compile`'s output. (ape's own `project`
    fixture does not resolve contract types when the checkout lives under the system temp
    folder, where ape isolates projects; reading the build keeps the tests location-proof.)"""
    types = json.loads(BUILD.read_text())["contractTypes"]
    return SimpleNamespace(**{name: ContractContainer(ContractType.model_validate(ct))
                              for name, ct in types.items()})


@pytest.fixture(scope="session")
def admin(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def stranger(accounts):
    return accounts[5]


@pytest.fixture(scope="session")
def guardian(accounts):
    return accounts[6]


def deploy_behind_proxy(project, admin, container, *constructor_args):
    implementation = admin.deploy(container, *constructor_args)
    data = implementation.initialize.encode_input(admin.address)
    proxy = admin.deploy(project.FlashkeeperProxy, implementation.address, data)
    return container.at(proxy.address), implementation


@pytest.fixture
def dex_registry(project, admin):
    registry, _ = deploy_behind_proxy(project, admin, project.DexRegistry)
    return registry


@pytest.fixture
def feed_registry(project, admin):
    registry, _ = deploy_behind_proxy(project, admin, project.PriceFeedRegistry)
    return registry


@pytest.fixture
def executor(project, admin, dex_registry, factory):
    """The executor behind its proxy, without a world: its guard rails (roles, pause, upgrades)
    need no protocol; tests/executor runs its trades on the real ones. Any contract stands in
    for the Balancer vault."""
    executor, _ = deploy_behind_proxy(project, admin, project.FlashArbExecutor,
                                      dex_registry.address, factory.address)
    return executor


@pytest.fixture
def factory(project, admin):
    """Any contract with code stands in for a factory address in registry tests."""
    return admin.deploy(project.MockAggregator, 8, 1)
