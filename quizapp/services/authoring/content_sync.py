"""Load parsed courses into the database by stable key, in one transaction, never losing progress.

Unchanged lessons (same source hash) are skipped without rendering, so reloading a tree is cheap;
``loaded_lessons`` lets the parser skip them too. A question whose answer key changes gets a new
QuestionVersion; removed lessons and questions are retired (hidden, attempts kept) and restored when
they come back.
"""

from __future__ import annotations

import hashlib
import mimetypes

from sqlalchemy import select
from sqlalchemy.orm import defer

from quizapp.content import (
    RENDERER_VERSION,
    ContentTree,
    Loaded,
    Renderer,
    parse_unchanged,
    render_markdown,
    rewrite_lesson_links,
    rewrite_links,
)
from quizapp.content import model as src
from quizapp.content.snapshots import answer_snapshot
from quizapp.extensions import db
from quizapp.models import Asset, Course, Lesson, Question, QuestionVersion, utcnow
from quizapp.services.authoring.sync_report import SyncReport


def sync_tree(tree: ContentTree, *, dry_run: bool = False, retire_missing: bool = True) -> SyncReport:
    """Apply every error-free course of ``tree``; courses with errors are left as they were.

    ``retire_missing`` retires courses absent from the tree (off when loading a single course).
    """
    report = SyncReport(skipped_broken=list(tree.broken))
    renderer = Renderer()
    try:
        for course in tree.courses:
            _sync_course(course, report, renderer)
        if retire_missing:
            keep = {c.slug for c in tree.courses} | set(tree.broken)
            for row in db.session.scalars(select(Course).where(Course.retired.is_(False))):
                if row.key not in keep:
                    row.retired = True
                    report.retired.append(row.key)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def courses_outside(tree: ContentTree) -> list[str]:
    """Name the active courses a load of ``tree`` leaves alone (neither loaded nor broken in it)."""
    inside = {course.slug for course in tree.courses} | set(tree.broken)
    return [key for key in db.session.scalars(select(Course.key).where(Course.retired.is_(False)).order_by(Course.key))
            if key not in inside]


def loaded_lessons() -> Loaded:
    """Tell the parser which lesson files are loaded exactly as they are, so it need not parse them again.

    Only a lesson stored without warnings matches (see ``_lesson_hash``), so a reload still shows every
    warning; a new RENDERER_VERSION matches nothing, so every file is checked and rendered again.
    """
    rows = db.session.execute(select(Lesson.key, Lesson.source_hash).where(Lesson.retired.is_(False)))
    stored = {key: digest for key, digest in rows}
    return lambda key, text: stored.get(key) == _hash(text)


def _sync_course(course: src.Course, report: SyncReport, renderer: Renderer) -> None:
    before = report.changes
    row = db.session.scalar(select(Course).where(Course.key == course.slug))
    digest = _hash(course.source)
    if row is None:
        row = Course(key=course.slug)
        db.session.add(row)
        report.added.append(course.slug)
    elif row.retired:
        report.restored.append(course.slug)
    elif row.source_hash != digest or row.position != course.order:
        report.changed.append(course.slug)
    if row.source_hash != digest or row.retired or row.position != course.order:
        row.title, row.summary, row.position, row.reveal = course.title, course.summary, course.order, course.reveal
        # The course page sits one level above its lessons, so its relative links need the course slug.
        row.intro_html = rewrite_links(render_markdown(course.intro), course.slug, prefix=f"{course.slug}/")
        row.source, row.source_hash, row.retired, row.updated_at = course.source, digest, False, utcnow()
    db.session.flush()
    _sync_lessons(row, course, report, renderer)
    _sync_assets(row, course.assets, report)
    if report.changes != before:
        # The course's stamp: pages kept by the web workers (views/fragments.py) are reused only while it
        # is the same, so it must move whenever anything in the course does.
        row.updated_at = utcnow()


def _sync_lessons(course_row: Course, course: src.Course, report: SyncReport, renderer: Renderer) -> None:
    existing = {lesson.key: lesson for lesson in course_row.lessons}
    seen: set[str] = set()
    versions: list[tuple[Question, QuestionVersion]] = []
    for index, lesson in enumerate(course.lessons):
        key = f"{course.slug}/{lesson.slug}"
        seen.add(key)
        row = existing.get(key)
        digest = _lesson_hash(lesson)
        filename = _filename(lesson.path)
        if row is not None and row.source_hash == digest and not row.retired:
            if (row.position, row.filename) == (index, filename):
                report.unchanged += 1
            else:  # renumbered or reordered: same text, so no rendering needed
                row.position, row.filename, row.updated_at = index, filename, utcnow()
                report.changed.append(key)
            continue
        if isinstance(lesson, src.UnchangedLesson):  # the database changed after the files were read
            lesson = parse_unchanged(lesson)
            digest = _lesson_hash(lesson)
        if row is None:
            row = Lesson(key=key, course=course_row)
            db.session.add(row)
            report.added.append(key)
        elif row.retired:
            report.restored.append(key)
        else:
            report.changed.append(key)
        rendered = rewrite_lesson_links(renderer.lesson(lesson), course.slug)
        _fill_lesson(row, rendered, index, digest)
        versions += _sync_questions(row, rendered.questions, report)
    # One flush for the whole course inserts new lessons and questions in batches; the new answer-key
    # versions need the questions' ids, so they are added after it.
    db.session.flush()
    for question, version in versions:
        version.question_id = question.id
        db.session.add(version)
    for key, row in existing.items():
        if key not in seen and not row.retired:
            row.retired = True
            report.retired.append(key)


def _fill_lesson(row: Lesson, lesson: src.Lesson, index: int, digest: str) -> None:
    row.slug, row.title, row.summary = lesson.slug, lesson.title, lesson.summary
    row.tags, row.minutes, row.position = list(lesson.tags), lesson.minutes, index
    row.body_html, row.source, row.source_hash = lesson.body_html, lesson.source, digest
    row.filename = _filename(lesson.path)
    row.retired, row.updated_at = False, utcnow()


def _sync_questions(
    lesson_row: Lesson, questions: tuple[src.Question, ...], report: SyncReport
) -> list[tuple[Question, QuestionVersion]]:
    """Update a lesson's questions; give the answer-key versions to add once the questions have ids."""
    existing: dict[str, Question] = {}
    if lesson_row.id is not None:  # a lesson not yet in the database has no questions to look up
        query = select(Question).where(Question.lesson_id == lesson_row.id)
        existing = {q.key: q for q in db.session.scalars(query)}
    versions = _versions_by_question([q.id for q in existing.values()])
    seen: set[str] = set()
    new_versions: list[tuple[Question, QuestionVersion]] = []
    for index, question in enumerate(questions):
        key = f"{lesson_row.key}/{question.id}"
        seen.add(key)
        row = existing.get(key)
        if row is None:
            row = Question(key=key, lesson=lesson_row, version=0)
            db.session.add(row)
            report.added.append(key)
        elif row.retired:
            report.restored.append(key)
        _fill_question(row, question, index)
        version = _sync_version(row, question.answer, versions.get(row.id, {}), report)
        if version is not None:
            new_versions.append((row, version))
    for key, row in existing.items():
        if key not in seen and not row.retired:
            row.retired = True
            report.retired.append(key)
    return new_versions


def _versions_by_question(question_ids: list[int]) -> dict[int, dict[str, QuestionVersion]]:
    found: dict[int, dict[str, QuestionVersion]] = {}
    if question_ids:
        query = select(QuestionVersion).where(QuestionVersion.question_id.in_(question_ids))
        for version in db.session.scalars(query):
            found.setdefault(version.question_id, {})[version.key_hash] = version
    return found


def _fill_question(row: Question, question: src.Question, index: int) -> None:
    row.title, row.position, row.kind = question.title, index, question.answer.kind
    row.prompt_html, row.hints_html = question.prompt_html, list(question.hints_html)
    row.solution_html, row.quick_check_html = question.solution_html, question.quick_check_html
    row.mistakes_html, row.retired = list(question.mistakes_html), False
    row.fixed_order = question.fixed_order


def _sync_version(
    row: Question, answer: src.Answer, versions: dict[str, QuestionVersion], report: SyncReport
) -> QuestionVersion | None:
    """Point the question at the version of its answer key; give a new version to add, if one is needed."""
    data, key_hash = answer_snapshot(answer)
    match = versions.get(key_hash)
    if match is not None and versions and row.version not in (0, match.number):
        report.new_versions.append(row.key)  # back to an earlier answer key: its attempts count again
    if match is None:
        number = max((v.number for v in versions.values()), default=0) + 1
        if versions:
            report.new_versions.append(row.key)
        row.version = number
        return QuestionVersion(number=number, kind=answer.kind, answer=data, key_hash=key_hash)
    # Same answer key: refresh wording (feedback, HTML) in place; attempts keep what they were shown.
    if match.answer != data:
        match.answer = data
    row.version = match.number
    return None


def _sync_assets(course_row: Course, assets: tuple[src.Asset, ...], report: SyncReport) -> None:
    # The bytes are not loaded to compare: the stored hash says whether an asset changed.
    query = select(Asset).where(Asset.course_id == course_row.id).options(defer(Asset.data))
    existing = {a.path: a for a in db.session.scalars(query)}
    wanted = {a.path: a for a in assets}
    for path, asset in wanted.items():
        digest = hashlib.sha256(asset.data).hexdigest()
        row = existing.get(path)
        if row is None:
            row = Asset(course_id=course_row.id, path=path)
            db.session.add(row)
            report.added.append(f"{course_row.key}/{path}")
        elif row.sha256 != digest:
            report.changed.append(f"{course_row.key}/{path}")
        if row.sha256 != digest:
            row.data, row.sha256 = asset.data, digest
            row.mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    for path, row in existing.items():
        if path not in wanted:
            db.session.delete(row)
            report.removed.append(f"{course_row.key}/{path}")


def _filename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _lesson_hash(lesson: src.Lesson | src.UnchangedLesson) -> str:
    """Fingerprint a lesson file; a file with warnings gets one ``loaded_lessons`` never matches, so they show."""
    warned = isinstance(lesson, src.Lesson) and lesson.warned
    return _hash(lesson.source, " warned" if warned else "")


def _hash(text: str, note: str = "") -> str:
    """Fingerprint a source file as rendered by this release: a new renderer re-renders everything once."""
    return hashlib.sha256(f"renderer {RENDERER_VERSION}{note}\n{text}".encode()).hexdigest()
