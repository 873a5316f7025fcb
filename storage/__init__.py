"""Storage: SQLAlchemy 2 models, repositories and migrations. The only place with SQL."""
