"""Persistence: SQLAlchemy over SQLite by default, PostgreSQL when FLASHKEEPER_DATABASE_URL
points at one."""
