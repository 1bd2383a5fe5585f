"""Courses as files: export a loaded course from the database, and unpack an uploaded course zip safely.

An export holds course.md, every active lesson under its file name and the assets, so loading it
again gives the same course. An upload is checked before a byte reaches the disk: no paths out of
the folder, no links, a cap on entries and on unpacked size (zip bombs), only lessons and assets.
"""

from __future__ import annotations

import io
import re
import secrets
import stat
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import select

from quizapp.content.parsing.text import is_slug, slugify
from quizapp.extensions import db
from quizapp.models import Asset, Course, Lesson

MAX_ENTRIES = 500
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
_SKIPPED = ("__MACOSX/", ".DS_Store", "Thumbs.db")
STASH_SECONDS = 3600  # an upload waiting for the author's confirmation is kept this long
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{24}")


class BundleError(Exception):
    """An uploaded zip that cannot be unpacked safely; ``message`` says what to change."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class CourseFiles:
    """A course as file contents by path relative to the course folder."""

    key: str
    files: dict[str, bytes]


def lesson_filename(lesson: Lesson) -> str:
    """Name a lesson's file: the name it was loaded from, else a numbered one from its slug."""
    return lesson.filename or f"{lesson.position + 1:02d}-{lesson.slug}.md"


def export_course(course_key: str) -> CourseFiles | None:
    """Collect a course's files from the database (active lessons only), or None if there is none."""
    course = db.session.scalar(select(Course).where(Course.key == course_key))
    if course is None:
        return None
    files = {"course.md": course.source.encode()}
    for lesson in course.lessons:
        if not lesson.retired:
            files[lesson_filename(lesson)] = lesson.source.encode()
    for path, data in db.session.execute(select(Asset.path, Asset.data).where(Asset.course_id == course.id)):
        files[path] = data
    return CourseFiles(course.key, files)


def write_folder(bundle: CourseFiles, dest: Path) -> list[Path]:
    """Write a course's files into ``dest`` (created if needed); give the paths written."""
    written = []
    for path, data in bundle.files.items():
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written


def zip_bytes(bundle: CourseFiles) -> bytes:
    """Pack a course's files into a zip with one top-level folder named after the course."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(bundle.files.items()):
            archive.writestr(f"{bundle.key}/{path}", data)
    return buffer.getvalue()


def unpack_course_zip(data: bytes, dest: Path, fallback_key: str) -> Path:
    """Unpack a course zip into ``dest/<course-key>``; raise BundleError (writing nothing) if it is unsafe.

    course.md may sit at the root of the zip (the course key is then ``fallback_key``, the zip's name)
    or inside one top-level folder (whose name is the key).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BundleError("the file is not a zip archive; zip the course folder and upload that") from None
    with archive:
        entries = [i for i in archive.infolist() if not _skipped(i.filename)]
        if len(entries) > MAX_ENTRIES:
            raise BundleError(f"the zip has {len(entries)} entries, over the limit of {MAX_ENTRIES}")
        for info in entries:
            _check_entry(info)
        root, key = _course_root(entries, fallback_key)
        files = {_relative(i.filename, root): i for i in entries if not i.is_dir()}
        for path in files:
            _check_place(path)
        contents = _read_capped(archive, files)
    course_dir = dest / key
    write_folder(CourseFiles(key, contents), course_dir)
    return course_dir


def _skipped(name: str) -> bool:
    return name.startswith(_SKIPPED[0]) or PurePosixPath(name).name in _SKIPPED[1:]


def _check_entry(info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = PurePosixPath(name).parts
    if name.startswith(("/", "\\")) or "\\" in name or ".." in parts or (parts and ":" in parts[0]):
        raise BundleError(f"'{name}' would be written outside the course folder; zip the folder itself")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise BundleError(f"'{name}' is a symbolic link; put the real file in the zip instead")


def _course_root(entries: list[zipfile.ZipInfo], fallback_key: str) -> tuple[str, str]:
    names = {i.filename for i in entries}
    if "course.md" in names:
        key = slugify(fallback_key)
        if not is_slug(key):
            raise BundleError("cannot tell the course key; put the files in a folder named after the course")
        return "", key
    tops = {PurePosixPath(n).parts[0] for n in names}
    if len(tops) == 1 and f"{next(iter(tops))}/course.md" in names:
        top = next(iter(tops))
        return f"{top}/", top
    raise BundleError("the zip has no course.md at its root or inside a single top-level folder")


def _relative(name: str, root: str) -> str:
    if not name.startswith(root):
        raise BundleError(f"'{name}' is outside the course folder '{root.rstrip('/')}'")
    return name[len(root):]


def _check_place(path: str) -> None:
    parts = PurePosixPath(path).parts
    lesson = len(parts) == 1 and path.endswith(".md")
    if not (lesson or (len(parts) > 1 and parts[0] == "assets")):
        raise BundleError(f"'{path}' is neither a lesson (.md next to course.md) nor a file in assets/")


def _read_capped(archive: zipfile.ZipFile, files: dict[str, zipfile.ZipInfo]) -> dict[str, bytes]:
    """Read every file, counting real bytes (not the sizes the zip claims) against the limit."""
    total = 0
    contents: dict[str, bytes] = {}
    for path, info in files.items():
        with archive.open(info) as stream:
            data = stream.read(MAX_UNPACKED_BYTES - total + 1)
        total += len(data)
        if total > MAX_UNPACKED_BYTES:
            raise BundleError(f"the zip unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB")
        contents[path] = data
    return contents


def stash_upload(data: bytes, folder: Path) -> str:
    """Keep an upload that waits for the author's confirmation; give the token that takes it back.

    Stashes older than an hour are dropped here, so a confirmation never given leaves nothing behind.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.upload"):
        if time.time() - old.stat().st_mtime > STASH_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(18)
    (folder / f"{token}.upload").write_bytes(data)
    return token


def take_upload(token: str, folder: Path) -> bytes | None:
    """Give back (and forget) a stashed upload; None for an unknown, expired or malformed token."""
    if not _TOKEN_RE.fullmatch(token):
        return None
    path = folder / f"{token}.upload"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    path.unlink(missing_ok=True)
    return data
