"""The local world: real protocol bytecode from npm deployed on anvil, plus a manifest."""
