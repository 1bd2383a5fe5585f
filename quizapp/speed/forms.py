"""A direct statement as one database kind runs it: compiled once, its parameters in and rows out by its types."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import Float

from quizapp.speed.stores import store


def form_of(statement, dialect, keys: tuple[str, ...] | None) -> _Form:
    key = (statement, dialect.name, keys)  # statements are built at import: a form never goes stale
    forms = store("statements")
    found = forms.get(key)
    if found is None:
        found = _Form.of(statement, dialect, keys)
        forms.put(key, found)
    return found


@dataclass(frozen=True)
class _Form:
    """One statement as one database kind runs it: its SQL, how parameters go in and rows come out."""

    sql: str
    compiled: object  # SQLAlchemy's compiled statement: it fills in bound values from the parameters
    order: tuple[str, ...] | None  # parameter names in order (positional drivers), or None (named ones)
    binds: dict[str, Callable]  # the parameters whose type converts them on the way in
    row: type  # a named tuple: results read as row.column, like SQLAlchemy's rows
    results: tuple[Callable | None, ...] | None  # per column, how its type converts it; None if none does

    @classmethod
    def of(cls, statement, dialect, keys: tuple[str, ...] | None) -> _Form:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
        if "POSTCOMPILE" in compiled.string or any(bind.expanding for bind in compiled.binds.values()):
            raise ValueError("direct statements take no expanding (IN list) parameters")
        binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect) for name, bind in compiled.binds.items()}
        columns = list(compiled.returning or ()) if statement.is_dml else list(statement.selected_columns)
        results = tuple(_result_processor(column.type, dialect) for column in columns)
        results = results if any(results) else None
        order = tuple(compiled.positiontup) if compiled.positiontup is not None else None
        return cls(compiled.string, compiled, order, {name: f for name, f in binds.items() if f is not None},
                   namedtuple("Row", [column.key for column in columns], rename=True), results)

    def arguments(self, params: Mapping):
        values = self.compiled.construct_params(params)
        for name, convert in self.binds.items():
            values[name] = convert(values[name])
        return [values[name] for name in self.order] if self.order is not None else values

    def make(self, raw: tuple):
        if self.results is None:
            return self.row._make(raw)
        return self.row._make([value if f is None else f(value) for f, value in zip(self.results, raw, strict=True)])


def _result_processor(column_type, dialect) -> Callable | None:
    """How a column's type converts its values coming out, as SQLAlchemy would. psycopg's numeric processors
    need the column's type code from a cursor, which a statement compiled ahead has not seen; a Float column is
    double precision, which psycopg already gives as a Python float."""
    if dialect.name == "postgresql" and isinstance(column_type, Float) and not column_type.asdecimal:
        return None
    return column_type.dialect_impl(dialect).result_processor(dialect, None)
