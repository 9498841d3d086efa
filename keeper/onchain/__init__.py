"""Flashkeeper's own contracts from Python: deployment and reads (thin shells over web3)."""
