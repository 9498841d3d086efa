"""ape fixtures: the registries behind their ERC-1967 proxies, initialized at deployment."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def admin(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def stranger(accounts):
    return accounts[5]


@pytest.fixture(scope="session")
def guardian(accounts):
    return accounts[6]


def deploy_behind_proxy(project, admin, container):
    implementation = admin.deploy(container)
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
def factory(project, admin):
    """Any contract with code stands in for a factory address in registry tests."""
    return admin.deploy(project.MockAggregator, 8, 1)
