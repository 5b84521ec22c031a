"""The database: SQLAlchemy tables, engine set-up, migrations and the unit of work."""
