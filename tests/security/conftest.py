"""Fixtures for the security tests: one account per role, quick sign-in, and row counts of every table."""

from __future__ import annotations

import pytest
from support import PASSWORD, load_courses
from werkzeug.security import generate_password_hash

from quizapp.extensions import db
from quizapp.models import Classroom, Course, Enrollment, Question, User
from quizapp.models.school import CourseMember

_HASH = generate_password_hash(PASSWORD)  # hashed once: scrypt per account would dominate these tests


@pytest.fixture
def people(app):
    """An account per role; 'owner' is an instructor who owns the class the others do not."""
    roles = {"learner": "learner", "author": "author", "instructor": "instructor", "admin": "admin",
             "owner": "instructor"}
    found = {name: User(email=f"{name}@example.org", password_hash=_HASH, role=role) for name, role in roles.items()}
    db.session.add_all(found.values())
    db.session.commit()
    return found


@pytest.fixture
def owned_class(app, people):
    """A class taught by the 'owner' instructor (not by the plain 'instructor')."""
    classroom = Classroom(name="Owner's class", join_code="OWNERCODE1", instructor_id=people["owner"].id)
    db.session.add(classroom)
    db.session.commit()
    return classroom


@pytest.fixture
def world(app, people, owned_class):
    """Content, a class with an enrolled learner, and the values that fill every route placeholder."""
    load_courses()
    db.session.add(Enrollment(classroom_id=owned_class.id, user_id=people["learner"].id))
    demo = db.session.query(Course).filter(Course.key == "demo").one()
    db.session.add(CourseMember(course_id=demo.id, user_id=people["author"].id, role="editor"))  # rights per course
    db.session.commit()
    question = db.session.query(Question).filter(Question.key == "demo/basics/where").one()
    return {
        "course_key": "demo", "lesson_slug": "basics", "anchor": "where", "slug": "basics",
        "path": "dot.svg", "filename": "css/app.css", "token": "not-a-real-token",
        "class_id": owned_class.id, "user_id": people["learner"].id, "question_id": question.id,
        "code": owned_class.join_code, "name": "overview", "assignment_id": 1,
        "course": "demo", "lesson": "basics", "question": "where", "token_id": 1,
    }
