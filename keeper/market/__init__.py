"""Market simulator: keeps the local world alive with seeded reference prices and noise traders."""
