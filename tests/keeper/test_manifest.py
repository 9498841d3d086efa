"""keeper.manifest: a manifest is only taken for the chain it was written for."""

from __future__ import annotations

import pytest

from keeper.errors import ConfigError
from keeper.manifest import Manifest, load_manifest, save_manifest


def test_load_manifest__another_chain__refused_own_chain_or_none_asked__loaded(tmp_path):
    path = tmp_path / "manifest.json"
    save_manifest(Manifest(chain_id=4242, weth="0x" + "11" * 20, tokens=[], dexes=[], pools=[]),
                  path)
    with pytest.raises(ConfigError, match="manifest is for chain 4242, connected to 1"):
        load_manifest(path, 1)
    assert load_manifest(path, 4242).chain_id == 4242
    assert load_manifest(path).chain_id == 4242


def test_load_manifest__malformed__one_line_naming_each_field(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text('{"chain_id": "x", "weth": "0x' + "11" * 20 + '", "tokens": [], "dexes": []}')
    with pytest.raises(ConfigError) as e:
        load_manifest(path)
    message = str(e.value)
    assert message.startswith(f"malformed manifest {path}: ")
    assert "chain_id: Input should be a valid integer" in message
    assert "pools: Field required" in message
    assert "\n" not in message and "errors.pydantic.dev" not in message
