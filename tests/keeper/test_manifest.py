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
