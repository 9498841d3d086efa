"""Exact integer AMM math: Python ports of Uniswap V2 and V3 that round as the contracts do and
raise the same errors (parity-tested against the real bytecode on anvil)."""
