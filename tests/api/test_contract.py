"""Contract tests: Schemathesis drives the live API (gunicorn, real HTTP, real tokens) from its own spec.

Every operation, with a token of each role, valid and invalid input alike: no 5xx, every response matches
the documented status, content type, headers and schema, and no learner-visible payload shows what the
reveal rule holds back. Bounded in examples (EXAMPLES per operation and role, derandomized); SQLite only,
to keep CI short (.ci/run runs it in its SQLite pass; the PostgreSQL pass skips it).
"""

from __future__ import annotations

import json
import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks
from support import PG_URL, ROOT, load_courses, make_user, served_by_gunicorn

from quizapp import create_app
from quizapp.database import close_all
from quizapp.extensions import db
from quizapp.models import Classroom, Enrollment
from quizapp.services.accounts import tokens

pytestmark = [pytest.mark.contract,
              pytest.mark.skipif(bool(PG_URL), reason="contract tests run on SQLite only (.ci/run)")]
EXAMPLES = 12
SCHEMA = schemathesis.openapi.from_dict(json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)  # valid bodies, and bodies the spec forbids
ROLES = ("learner", "instructor", "author", "admin")
QUESTIONS = ("where", "pick", "method", "status", "steps")
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_headers_conformance, checks.response_schema_conformance]


@pytest.fixture(scope="module")
def live(database_template, tmp_path_factory):
    """A served app on its own SQLite file: content, a class, and a token per role; yields (base URL, world)."""
    if database_template["kind"] != "sqlite":
        pytest.skip("contract tests run on SQLite only")
    folder = tmp_path_factory.mktemp("contract")
    shutil.copy(database_template["path"], folder / "db.sqlite3")
    url = f"sqlite:///{folder / 'db.sqlite3'}"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "t",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        load_courses()
        people = {role: make_user(f"{role}@example.org", role=role) for role in ROLES}
        classroom = Classroom(name="C", join_code="CONTRACT01", instructor_id=people["instructor"].id)
        db.session.add(classroom)
        db.session.commit()
        db.session.add(Enrollment(classroom_id=classroom.id, user_id=people["learner"].id))
        db.session.commit()
        world = {"class_id": classroom.id, "tokens": {
            role: tokens.create_token(person.id, "contract", tokens.scopes_for_role(person.role))[1]
            for role, person in people.items()}}
        close_all()
    with served_by_gunicorn(url, folder / "gunicorn.log", workers=1, RATELIMIT_ENABLED="0") as base:
        yield base, world


def no_reveal_leaks(payload) -> None:
    """Fail if any question in a payload shows what its reveal rule still holds back."""
    if isinstance(payload, list):
        for item in payload:
            no_reveal_leaks(item)
    elif isinstance(payload, dict):
        if "revealed" in payload and "prompt_html" in payload and not payload["revealed"]:
            assert payload["solution_html"] == "" and payload["quick_check_html"] == "", payload
            assert payload["mistakes_html"] == [], payload
            options = payload.get("choices", []) + payload.get("items", [])
            assert not any(o["mark"] == "missed" for o in options), payload
        if "verdict" in payload and payload.get("verdict") is None and "prompt_html" in payload:
            options = payload.get("choices", []) + payload.get("items", [])
            assert not any(o["mark"] for o in options), payload
        for value in payload.values():
            no_reveal_leaks(value)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_the_api_keeps_its_contract(live, operation, role):
    base, world = live
    headers = {"Authorization": f"Bearer {world['tokens'][role]}"}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def exchange(data):
        mode = data.draw(st.sampled_from(MODES), label="mode")
        case = data.draw(operation.as_strategy(generation_mode=mode))
        if data.draw(st.booleans(), label="real path"):
            real = {"course": "demo", "lesson": "basics", "class_id": world["class_id"],
                    "question": data.draw(st.sampled_from(QUESTIONS), label="question")}
            case.path_parameters = {k: real.get(k, v) for k, v in (case.path_parameters or {}).items()}
        response = case.call(base_url=base, headers=headers, timeout=30)
        case.validate_response(response, checks=CHECKS)
        if response.headers.get("Content-Type", "").startswith("application/json"):
            no_reveal_leaks(response.json())

    exchange()
