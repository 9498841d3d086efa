"""Arbitrage detection: token graph, cycle index, vectorized pre-filter, exact sizing. Pure."""
