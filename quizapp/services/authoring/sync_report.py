"""What a content load did (or, on a dry run, would do), by key, worded for a terminal and for a page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class SyncReport:
    """What a load did (or, on a dry run, would do), by key."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # assets only: content with history is retired instead
    unchanged: int = 0
    skipped_broken: list[str] = field(default_factory=list)

    @property
    def touched(self) -> bool:
        """Say whether anything in the database changed."""
        return self.changes > 0

    @property
    def changes(self) -> int:
        """Count the changes made so far (added, changed, new versions, retired, restored, removed)."""
        return (len(self.added) + len(self.changed) + len(self.new_versions) + len(self.retired)
                + len(self.restored) + len(self.removed))

    def lines(self) -> list[str]:
        """Describe the load for a terminal, one line per change and a count line last."""
        out = [f"{verb} {key}" for verb, keys in self._groups() for key in keys]
        counts = ", ".join(f"{len(keys)} {verb}" for verb, keys in self._groups())
        out.append(f"{counts}, {self.unchanged} unchanged")
        return out

    def summary(self) -> str:
        """Say in plain words what a load did, e.g. "1 lesson and 4 questions added; 2 lessons unchanged"."""
        verbs = {"new answer key": "given a new answer key", "not loaded (errors)": "not loaded (they have errors)"}
        phrases = [f"{_things(keys)} {verbs.get(verb, verb)}" for verb, keys in self._groups() if keys]
        named = [key for key in self.retired if key.count("/") < 2]  # lessons and courses: easy to miss
        if named:
            at = [verb for verb, keys in self._groups() if keys].index("retired")
            phrases[at] += " (" + ", ".join(named[:5]) + (", …" if len(named) > 5 else "") + ")"
        if self.unchanged:
            phrases.append(f"{_count(self.unchanged, 'lesson')} unchanged" if phrases else
                           f"nothing changed ({_count(self.unchanged, 'lesson')} checked)")
        text = "; ".join(phrases) or "nothing to load"
        return text[0].upper() + text[1:]

    def _groups(self) -> list[tuple[str, list[str]]]:
        return [
            ("added", self.added),
            ("changed", self.changed),
            ("new answer key", self.new_versions),
            ("retired", self.retired),
            ("restored", self.restored),
            ("removed", self.removed),
            ("not loaded (errors)", self.skipped_broken),
        ]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _things(keys: list[str]) -> str:
    """Name what keys stand for: 'course', 'course/lesson', 'course/lesson/question' (or an asset path)."""
    kinds = Counter("course" if "/" not in key else "lesson" if key.count("/") == 1 else
                    "file" if "/assets/" in key else "question" for key in keys)
    names = [_count(kinds[kind], kind) for kind in ("course", "lesson", "question", "file") if kinds[kind]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
