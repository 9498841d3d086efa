"""The web app's own tables (users, token families, revocations, audit log, keeper controls),
in the same database as the keeper's (FLASHKEEPER_DATABASE_URL)."""
