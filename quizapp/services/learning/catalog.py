"""Course-level lookups for learners: a course's introduction and its asset files."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Asset, Course

# Raster images cannot carry script; every other asset (SVG, HTML, PDF, ...) is served as a download.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


@dataclass(frozen=True)
class CourseInfo:
    """What a course page shows above its lesson list."""

    key: str
    title: str
    summary: str
    intro_html: str


@dataclass(frozen=True)
class AssetFile:
    """An asset's bytes with what a response needs."""

    data: bytes
    mimetype: str
    etag: str

    @property
    def inline(self) -> bool:
        """Say whether a browser may show it in our origin: only raster images, which cannot run script."""
        return self.mimetype in INLINE_TYPES


def get_course_info(course_key: str) -> CourseInfo | None:
    """Load an active course's heading and introduction."""
    course = db.session.scalar(select(Course).where(Course.key == course_key, Course.retired.is_(False)))
    if course is None:
        return None
    return CourseInfo(course.key, course.title, course.summary, course.intro_html)


def get_asset(course_key: str, path: str) -> AssetFile | None:
    """Load an asset of an active course by its path relative to the course folder."""
    row = db.session.execute(
        select(Asset.data, Asset.mimetype, Asset.sha256)
        .join(Course, Course.id == Asset.course_id)
        .where(Course.key == course_key, Course.retired.is_(False), Asset.path == path)
    ).first()
    return AssetFile(*row) if row else None
