"""SQLAlchemy 2.x persistence: models, engine, unit of work, repositories, migrations."""
