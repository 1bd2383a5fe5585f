"""The mechanisms that exist only to be fast, in one place.

- ``direct``: prebuilt statements run on the DBAPI cursor, skipping SQLAlchemy's per-statement work;
  ``forms`` compiles each once per database kind and converts its parameters and rows by its types.
- ``kept``: ``Kept``, a per-worker LRU with a lock.
- ``stores``: the inventory of every per-worker store (name, size, what it keeps, what invalidates it), made
  in one ``init_app`` and emptied for tests by ``stores.clear_all()``.
- Pre-rendered fragments stay with the views that render them (``views/fragments.py``, ``views/layout.py``);
  they take their stores from the inventory.

When to take the direct path and when the ORM: use the ORM (``db.session``) by default: every admin,
authoring, teaching and account page, anything written rarely, anything with relationships or an
``IN`` list. Take ``direct`` only for a statement on a learner's hot path (a lesson page, a question, an
answer, review) that the bench shows costs more in the engine than in the database, that is a fixed
statement built once at import (``Prepared`` for a SELECT, ``transaction()`` for writes), and that needs
no ORM object back: ``direct`` gives named tuples. Keep a value in a per-worker store only when the key
says everything it depends on (a stamp, a version), add the store to the inventory, and never put a
store in front of a security check. Only the modules ``tests/app/test_architecture.py`` names may import
this package.
"""
