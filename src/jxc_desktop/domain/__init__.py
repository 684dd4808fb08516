"""Pure business rules: no Qt, no SQLAlchemy, only the standard library."""
