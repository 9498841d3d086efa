"""Fixtures shared by every test area: a real anvil node with the real-bytecode world on it."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from keeper.world.local import LocalWorld, start_world

World = LocalWorld  # the name tests use


@pytest.fixture(scope="session")
def world() -> Iterator[LocalWorld]:
    """One world for the session. Tests that change chain state use `fresh_world_state`."""
    w = start_world()
    try:
        yield w
    finally:
        w.stop()


@pytest.fixture
def fresh_world_state(world: LocalWorld) -> Iterator[LocalWorld]:
    """The session world, rolled back to its state before the test when the test ends."""
    with world.reverted():
        yield world


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A port that refuses connections for the whole test: bound here and never listening, so
    that no other process (the other test lane starts nodes) can take it, as it could a port
    found free and let go."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]
