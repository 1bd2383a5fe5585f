"""Read course folders from disk: course.md, lesson files, assets; all of a course or none of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .checks import check_course
from .model import DEFAULT_REVEAL, Asset, Course, Lesson, Problem, UnchangedLesson
from .parsing.frontmatter import COURSE_KEYS, read_front_matter
from .parsing.limits import check_nesting
from .parsing.links import check_links
from .parsing.parser import check_unchanged_links, parse_lesson, slug_from_filename
from .parsing.text import is_slug, join, mark_fences, normalize_newlines, slugify, split_lines

MAX_FILE_BYTES = 1024 * 1024  # a Markdown file larger than this is a mistake, not a lesson
MAX_ASSET_BYTES = 5 * 1024 * 1024  # assets are stored in the database, so keep them small
# Files a browser would run as a page or script in our origin; refused, whatever else the course holds.
SCRIPT_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".js", ".mjs", ".xml", ".xsl", ".xslt"})
_COURSE_EXAMPLE = "---\ntitle: Your course title\n---"

# (lesson key '<course>/<lesson>', file text with newlines normalised) -> True when exactly this text is
# already loaded and had no warnings: the parser then checks only its links (see UnchangedLesson).
Loaded = Callable[[str, str], bool]


@dataclass(frozen=True)
class ContentTree:
    """Every course under a content root: the loadable ones, all problems, and the broken folders.

    ``broken`` lists the slugs of course folders that had errors, so a loader keeps (never retires)
    what it already has for them.
    """

    courses: tuple[Course, ...]
    problems: tuple[Problem, ...]
    broken: tuple[str, ...]


def parse_tree(root: Path, loaded: Loaded | None = None) -> ContentTree:
    """Parse every course folder under root (or root itself when it holds course.md).

    ``loaded`` lets a loader skip parsing lesson files it already holds; a checker leaves it out.
    """
    if not root.is_dir():
        what = "does not exist" if not root.exists() else "is not a folder"
        message = f"content folder '{root}' {what}; pass the folder that holds your course folders"
        return ContentTree((), (Problem(str(root), 1, message),), ())
    folders = [root] if (root / "course.md").is_file() else _subfolders(root)
    courses: list[Course] = []
    problems: list[Problem] = []
    broken: list[str] = []
    for folder in folders:
        if (folder / "course.md").is_file():
            course, more = parse_course_dir(folder, loaded)
        elif any(folder.glob("*.md")):
            message = f"folder has lesson files but no course.md; add {folder / 'course.md'} with:\n"
            message += _COURSE_EXAMPLE
            course, more = None, [Problem(str(folder), 1, message)]
        else:
            continue
        problems += more
        if course is None:
            broken.append(folder.name)
        else:
            courses.append(course)
    courses.sort(key=lambda c: (c.order is None, c.order or 0, c.slug))
    return ContentTree(tuple(courses), tuple(problems), tuple(broken))


def _subfolders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def parse_course_dir(path: Path, loaded: Loaded | None = None) -> tuple[Course | None, list[Problem]]:
    """Parse one course folder, collecting every problem; the course is None if any is an error."""
    course_md = path / "course.md"
    problems: list[Problem] = []
    if not is_slug(path.name):
        message = (
            f"course folder name '{path.name}' is not a slug (lowercase letters, digits and '-'); "
            f"rename it to '{slugify(path.name)}'"
        )
        problems.append(Problem(str(path), 1, message))
    text, more = read_text(course_md, path)
    problems += more
    course = _course_from_text(text, course_md, path, problems) if text is not None else None
    lessons = _lessons(path, problems, loaded)
    assets = _assets(path, problems)
    _warn_about_strays(path, problems)
    if course is None or any(p.severity == "error" for p in problems):
        return None, problems
    if all(isinstance(lesson, Lesson) for lesson in lessons):  # a skipped, unchanged lesson had no warnings
        problems += check_course(lesson for lesson in lessons if isinstance(lesson, Lesson))
    if not lessons:
        problems.append(
            Problem(
                str(course_md),
                1,
                "course has no lessons; add a file such as 01-first-lesson.md",
                severity="warning",
            )
        )
    return replace(course, lessons=tuple(lessons), assets=tuple(assets)), problems


def _course_from_text(text: str, course_md: Path, course_dir: Path, problems: list[Problem]) -> Course | None:
    where = str(course_md)
    text = normalize_newlines(text)
    texts = split_lines(text)
    front = read_front_matter(texts, where, COURSE_KEYS)
    lines, fence_problems = mark_fences(texts[front.body_start :], front.body_start + 1, where)
    found = front.problems + fence_problems + check_nesting(lines, where) + check_links(lines, where, course_dir)
    problems += sorted(found, key=lambda p: p.line)
    if any(p.severity == "error" for p in found):
        return None
    values = front.values
    return Course(
        slug=course_dir.name,
        title=str(values["title"]),
        path=str(course_dir),
        source=text,
        intro=join(lines),
        summary=str(values.get("summary", "")),
        order=values.get("order"),  # type: ignore[arg-type]
        reveal=str(values.get("reveal", DEFAULT_REVEAL)),
    )


def _lessons(course_dir: Path, problems: list[Problem], loaded: Loaded | None) -> list[Lesson | UnchangedLesson]:
    files = [p for p in course_dir.glob("*.md") if p.name != "course.md" and not p.name.startswith(".")]
    files.sort(
        key=lambda p: (slug_from_filename(p.name)[0] is None, slug_from_filename(p.name)[0] or 0, p.name)
    )
    lessons: list[Lesson | UnchangedLesson] = []
    used: dict[str, str] = {}
    for file in files:
        number, slug = slug_from_filename(file.name)
        if not is_slug(slug):
            message = (
                f"file name gives lesson slug '{slug}', which is not a slug (lowercase letters, digits "
                f"and '-'); rename the file to '{slugify(slug) or 'lesson'}.md'"
            )
            problems.append(Problem(str(file), 1, message))
        elif slug in used:
            message = (
                f"lesson slug '{slug}' is also used by {used[slug]}; rename one of the files "
                "(the leading number is not part of the slug)"
            )
            problems.append(Problem(str(file), 1, message))
        used.setdefault(slug, file.name)
        text, more = read_text(file, course_dir)
        problems += more
        if text is None:
            continue
        text = normalize_newlines(text)
        if loaded is not None and loaded(f"{course_dir.name}/{slug}", text):
            problems += check_unchanged_links(text, path=str(file), course_dir=course_dir)
            lessons.append(UnchangedLesson(slug=slug, path=str(file), source=text, position=number))
            continue
        lesson, more = parse_lesson(text, path=str(file), slug=slug, position=number, course_dir=course_dir)
        problems += more
        if lesson is not None:
            lessons.append(lesson)
    return lessons


def _assets(course_dir: Path, problems: list[Problem]) -> list[Asset]:
    folder = course_dir / "assets"
    if not folder.is_dir():
        return []
    assets: list[Asset] = []
    for file in sorted(folder.rglob("*")):
        if not file.is_file() or any(part.startswith(".") for part in file.relative_to(folder).parts):
            continue
        if file.suffix.lower() in SCRIPT_SUFFIXES:
            problems.append(Problem(str(file), 1, _script_message(file.suffix.lower())))
            continue
        data, more = read_bytes(file, course_dir, MAX_ASSET_BYTES)
        problems += more
        if data is not None:
            assets.append(Asset(path=file.relative_to(course_dir).as_posix(), data=data))
    return assets


def _script_message(suffix: str) -> str:
    return (
        f"{suffix} files can run script in a learner's browser, so quizapp does not serve them as assets; "
        "put the text in a lesson (.md), or offer it as a PDF or image, then remove this file"
    )


def _warn_about_strays(course_dir: Path, problems: list[Problem]) -> None:
    """Say which files the loader ignores, so that a misnamed lesson does not vanish silently."""
    for entry in sorted(course_dir.iterdir()):
        if entry.name.startswith(".") or entry.name == "assets" or entry.suffix == ".md":
            continue
        hint = "lesson files end in .md; other files go in assets/"
        problems.append(Problem(str(entry), 1, f"ignored: {hint}", severity="warning"))


def read_bytes(file: Path, course_dir: Path, limit: int) -> tuple[bytes | None, list[Problem]]:
    """Read a file inside the course folder, refusing links out of it and oversized files."""
    where = str(file)
    try:
        if not file.resolve().is_relative_to(course_dir.resolve()):
            message = (
                "file is a link to somewhere outside the course folder; copy the file into the course instead"
            )
            return None, [Problem(where, 1, message)]
        size = file.stat().st_size
        if size > limit:
            message = f"file is {size:,} bytes, over the limit of {limit:,}; split it or make it smaller"
            return None, [Problem(where, 1, message)]
        return file.read_bytes(), []
    except OSError as err:
        return None, [
            Problem(
                where, 1, f"cannot read file: {err.strerror or err}; check that it exists and is readable"
            )
        ]


def read_text(file: Path, course_dir: Path) -> tuple[str | None, list[Problem]]:
    """Read a Markdown file as UTF-8, pointing at the first byte that is not."""
    data, problems = read_bytes(file, course_dir, MAX_FILE_BYTES)
    if data is None:
        return None, problems
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        message = (
            f"file is not UTF-8 (byte 0x{data[err.start]:02x} at line {line}, column {column}); "
            "re-save it as UTF-8 in your editor"
        )
        return None, [Problem(str(file), line, message, column=column)]
