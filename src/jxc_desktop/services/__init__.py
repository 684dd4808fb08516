"""Use cases over the unit of work. Services return small frozen dataclasses, never ORM rows."""
