"""Use-cases on the database: they take ids and values and return dataclasses, never request objects."""
