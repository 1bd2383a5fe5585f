"""Authoring in the browser: edit, preview, upload and import lessons through the same loader as the CLI.

A browser edit never takes a shortcut into the tables: the course is written out as files (course.md
and every active lesson from the database, the edited one replaced), parsed by the same checker and
loaded by the same ``sync_tree``, so versioning, retirement and all-or-nothing behave exactly as on
the command line. Nothing is saved while any file of the course has an error.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select

from quizapp.content import Asset as SourceAsset
from quizapp.content import (
    ContentTree,
    Problem,
    course_language,
    gift_to_markdown,
    new_lesson_markdown,
    parse_course_dir,
    parse_lesson,
    render_lesson,
    rewrite_lesson_links,
    slug_from_filename,
)
from quizapp.content import Course as SourceCourse
from quizapp.content import Lesson as SourceLesson
from quizapp.content.courses import MAX_FILE_BYTES
from quizapp.content.parsing.text import slugify
from quizapp.extensions import db
from quizapp.models import Asset, Course, Lesson
from quizapp.services.authoring import bundles, course_rights
from quizapp.services.authoring.content_sync import sync_tree
from quizapp.services.authoring.sync_report import SyncReport

_FILENAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\.md\Z")


@dataclass(frozen=True)
class ShownProblem:
    """A checker message for a page: which file (relative to the course), where, and what to do."""

    file: str
    line: int
    column: int | None
    severity: str
    message: str
    rule: str = ""  # the teaching check that found it ('length-cue', ...); '' for the format's own rules


@dataclass(frozen=True)
class Outcome:
    """What a save or upload did: the load report when it went in, else every problem (nothing saved)."""

    saved: bool
    problems: tuple[ShownProblem, ...]
    report: SyncReport | None = None
    course_key: str = ""
    theirs: Draft | None = None  # set when refused because someone else saved first: their version
    retiring: tuple[str, ...] = ()  # set when held back until the author confirms: the lessons it would retire


@dataclass(frozen=True)
class Preview:
    """A lesson rendered as it will be shown, or None when it has errors, with every problem."""

    lesson: SourceLesson | None
    problems: tuple[ShownProblem, ...]


@dataclass(frozen=True)
class Draft:
    """Lesson text in the editor: an existing lesson's source, a scaffold, or an import to review."""

    course_key: str
    filename: str
    text: str
    title: str
    slug: str | None = None  # set when editing a lesson that exists
    problems: tuple[ShownProblem, ...] = ()
    base_hash: str = ""  # source hash when the editor opened it: a save over a newer save is refused


def get_draft(course_key: str, slug: str) -> Draft | None:
    """Load an active lesson's Markdown source for editing."""
    lesson = _active_lesson(course_key, slug)
    if lesson is None:
        return None
    return Draft(course_key, bundles.lesson_filename(lesson), lesson.source, lesson.title, slug,
                 base_hash=lesson.source_hash)


def new_draft(course_key: str, title: str) -> Draft | None:
    """Start a lesson from the scaffold, named with the course's next number; nothing is saved yet."""
    course = _active_course(course_key)
    if course is None:
        return None
    language = course_language(ls.source for ls in course.lessons if not ls.retired)
    return Draft(course_key, next_lesson_filename(_filenames(course), title),
                 new_lesson_markdown(title, language), title)


def gift_draft(course_key: str, data: bytes, title: str, name: str) -> Draft | None:
    """Convert a Moodle GIFT file into a lesson draft to review; its warnings travel with it."""
    course = _active_course(course_key)
    if course is None:
        return None
    filename = next_lesson_filename(_filenames(course), title)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problem = ShownProblem(name, 1, None, "error", "the file is not UTF-8; save it as UTF-8 and upload again")
        return Draft(course_key, filename, "", title, problems=(problem,))
    markdown, problems = gift_to_markdown(text, title=title, path=name)
    shown = tuple(ShownProblem(name, p.line, p.column, p.severity, p.message, p.rule) for p in problems)
    return Draft(course_key, filename, markdown, title, problems=shown)


def next_lesson_filename(existing: list[str], title: str) -> str:
    """Name a new lesson file: the next free leading number, then the title as a slug."""
    numbers = [slug_from_filename(name)[0] or 0 for name in existing if name != "course.md"]
    return f"{max(numbers, default=0) + 1:02d}-{slugify(title) or 'lesson'}.md"


def lesson_slug(filename: str) -> str:
    """Give the lesson slug a file name makes ('03-route-handlers.md' -> 'route-handlers')."""
    return slug_from_filename(filename)[1]


def preview_lesson(course_key: str, filename: str, text: str) -> Preview | None:
    """Check a lesson's text inside its course and render it as it would load; the database is untouched."""
    course = _active_course(course_key)
    if course is None or not _FILENAME_RE.match(filename):
        return None
    if (size := len(text.encode())) > MAX_FILE_BYTES:  # what saving refuses is not rendered either
        message = f"the lesson is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}; split it into two lessons"
        return Preview(None, (ShownProblem(filename, 1, None, "error", message),))
    with tempfile.TemporaryDirectory(prefix="quizapp-preview-") as tmp:
        folder = _materialise(course, Path(tmp), {filename: text.encode()})
        _parsed, problems = parse_course_dir(folder)
        lesson, _ = parse_lesson(text, path=str(folder / filename), slug=slug_from_filename(filename)[1],
                                 course_dir=folder)
    if lesson is not None:
        lesson = rewrite_lesson_links(render_lesson(lesson), course.key, prefix=f"/courses/{course.key}/")
    return Preview(lesson, _shown(problems, Path(tmp) / course.key))


def save_lesson(course_key: str, filename: str, data: bytes, *, new: bool = False, base_hash: str = "",
                retire_ok: bool = False) -> Outcome:
    """Check the whole course with this lesson file in it and, only if nothing is wrong, load it.

    ``base_hash`` is the lesson's source hash when the author opened it; if another save came in
    since, this one is refused rather than silently overwriting it.
    """
    course = _active_course(course_key)
    if course is None:
        return _refused(course_key, "", f"there is no active course '{course_key}'; pick one from the list")
    current = next((ls for ls in course.lessons if bundles.lesson_filename(ls) == filename and not ls.retired), None)
    if base_hash and current is not None and current.source_hash != base_hash:
        refusal = _refused(course_key, filename, "someone saved this lesson after you opened it, so your save "
                           "would overwrite their changes. Your text is kept below, unsaved; their version is "
                           "shown under it. Merge their changes into yours, then save again")
        return replace(refusal, theirs=get_draft(course_key, current.slug))
    if not _FILENAME_RE.match(filename) or filename == "course.md":
        return _refused(course_key, filename, "a lesson file name is letters, digits, '-' or '_', ending in .md, "
                        "e.g. '03-route-handlers.md'")
    if new and filename in _filenames(course):
        return _refused(course_key, filename, f"the course already has a lesson file '{filename}'; "
                        "edit that lesson instead, or pick another title")
    with tempfile.TemporaryDirectory(prefix="quizapp-save-") as tmp:
        folder = _materialise(course, Path(tmp), {filename: data})
        parsed, problems = parse_course_dir(folder)
        shown = _shown(problems, folder)
    if parsed is None:
        return Outcome(False, shown, course_key=course_key)
    if not retire_ok and (retiring := _retiring(parsed)):
        return Outcome(False, shown, course_key=course_key, retiring=retiring)
    parsed = replace(parsed, assets=_stored_assets(course))
    report = sync_tree(ContentTree((parsed,), tuple(problems), ()), retire_missing=False)
    return Outcome(True, shown, report, course_key)


def upload_course_zip(data: bytes, zip_name: str, editor: course_rights.Editor | None = None, *,
                      retire_ok: bool = False) -> Outcome:
    """Load a zipped course folder (new or replacing one) if it unpacks safely and checks clean; one that
    would retire lessons is held back (``retiring``) until ``retire_ok``.

    With an ``editor`` (the browser's upload), replacing a course needs rights on it, and a new course
    is owned by its uploader; the CLI passes none.
    """
    with tempfile.TemporaryDirectory(prefix="quizapp-upload-") as tmp:
        try:
            folder = bundles.unpack_course_zip(data, Path(tmp), Path(zip_name).stem)
        except bundles.BundleError as error:
            return _refused("", zip_name, error.message)
        parsed, problems = parse_course_dir(folder)
        shown = _shown(problems, folder)
    if parsed is None:
        return Outcome(False, shown, course_key=folder.name)
    existed = course_rights.course_exists(folder.name)
    if editor is not None and existed and not course_rights.may_edit(editor, folder.name):
        return _refused(folder.name, zip_name, f"the course '{folder.name}' exists and you are not one of its "
                        "owners or editors; ask an admin for rights, or upload it under another folder name")
    if not retire_ok and (retiring := _retiring(parsed)):
        return Outcome(False, shown, course_key=folder.name, retiring=retiring)
    report = sync_tree(ContentTree((parsed,), tuple(problems), ()), retire_missing=False)
    if editor is not None and not existed:
        course_rights.claim_new_course(editor, folder.name)
    return Outcome(True, shown, report, folder.name)


def _retiring(parsed: SourceCourse) -> tuple[str, ...]:
    """Name the active lessons of this course that loading ``parsed`` would retire (not in it)."""
    keep = {f"{parsed.slug}/{lesson.slug}" for lesson in parsed.lessons}
    rows = db.session.scalars(select(Lesson.key).join(Course, Course.id == Lesson.course_id).where(
        Course.key == parsed.slug, Lesson.retired.is_(False)).order_by(Lesson.position))
    return tuple(key for key in rows if key not in keep)


def _active_course(course_key: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.key == course_key, Course.retired.is_(False)))


def _active_lesson(course_key: str, slug: str) -> Lesson | None:
    return db.session.scalar(
        select(Lesson).join(Course, Course.id == Lesson.course_id)
        .where(Lesson.key == f"{course_key}/{slug}", Lesson.retired.is_(False), Course.retired.is_(False))
    )


def _filenames(course: Course) -> list[str]:
    return [bundles.lesson_filename(lesson) for lesson in course.lessons if not lesson.retired]


def _materialise(course: Course, root: Path, overrides: dict[str, bytes]) -> Path:
    """Write the course as the loader reads it: sources from the database, assets as empty stand-ins.

    The checker only needs assets to exist (for link checks); the real bytes come from the database.
    """
    folder = root / course.key
    files = {"course.md": course.source.encode()}
    files.update({bundles.lesson_filename(ls): ls.source.encode() for ls in course.lessons if not ls.retired})
    files.update(overrides)
    paths = db.session.scalars(select(Asset.path).where(Asset.course_id == course.id))
    files.update({path: b"" for path in paths if path.startswith("assets/") and ".." not in path})
    bundles.write_folder(bundles.CourseFiles(course.key, files), folder)
    return folder


def _stored_assets(course: Course) -> tuple[SourceAsset, ...]:
    rows = db.session.execute(select(Asset.path, Asset.data).where(Asset.course_id == course.id).order_by(Asset.path))
    return tuple(SourceAsset(path=path, data=data) for path, data in rows)


def _shown(problems: list[Problem], folder: Path) -> tuple[ShownProblem, ...]:
    """Name files relative to the course folder, so a temporary folder never shows in a message."""
    shown = []
    for p in problems:
        path = Path(p.path)
        name = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name
        shown.append(ShownProblem("" if name == "." else name, p.line, p.column, p.severity,
                                  p.message.replace(str(folder) + "/", ""), p.rule))
    return tuple(shown)


def _refused(course_key: str, file: str, message: str) -> Outcome:
    return Outcome(False, (ShownProblem(file, 1, None, "error", message),), course_key=course_key)
