"""Scale: every dashboard page runs the same number of SQL statements for 3 learners as for 30."""

from __future__ import annotations

from dashboard_helpers import add_learners, ask
from sqlalchemy import select
from support import count_statements, make_user

from quizapp.extensions import db
from quizapp.models import Course
from quizapp.services.teaching import classes
from quizapp.services.teaching.summaries import class_summaries


def answer_some(users) -> None:
    """Give each learner a right answer, a named mistake and a retry."""
    for user in users:
        ask(user, "where", choice="a")
        ask(user, "where", choice="b")
        ask(user, "status", number="404")
        ask(user, "only", choice="a")


def page_counts(client, urls: list[str]) -> dict[str, int]:
    """Fetch each page fully (streams included) and count its statements."""
    counts = {}
    for url in urls:
        db.session.expire_all()  # start each page cold, as a fresh request would
        with count_statements() as statements:
            response = client.get(url)
            response.get_data()
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_query_count_does_not_grow_with_the_class(app, demo_course, as_user, qid):
    teacher = make_user("t@example.org", role="instructor")
    info = classes.create_class(teacher.id, "Big")
    first = add_learners(info.id, 3, prefix="a")
    answer_some(first)
    base = f"/dashboard/classes/{info.id}"
    urls = [
        "/dashboard", base, f"{base}?sort=last&dir=desc&q=example&behind=1", f"{base}?sort=progress&page=2",
        f"{base}/learners/{first[0].id}", f"{base}/items", f"{base}/items/{qid('where')}?course=demo",
        *(f"{base}/export/{name}.csv" for name in ("overview", "items", "options", "attempts")),
    ]
    client = as_user(teacher)
    # The first view builds the class's counters; members who join later are added on the next view.
    # Either takes a fixed number of statements too. The other counts are for views of fresh counters.
    small_rebuild = page_counts(client, [base])
    small = page_counts(client, urls)
    answer_some(add_learners(info.id, 2, prefix="c"))
    small_join = page_counts(client, [base])
    answer_some(add_learners(info.id, 27, prefix="b"))
    large_join = page_counts(client, [base])
    large = page_counts(client, urls)
    bigger = classes.create_class(teacher.id, "Bigger")
    answer_some(add_learners(bigger.id, 30, prefix="d"))
    large_rebuild = page_counts(client, [f"/dashboard/classes/{bigger.id}"])
    assert large == small and large_join == small_join
    assert list(large_rebuild.values()) == list(small_rebuild.values())
    assert max(small.values()) <= 12, small
    assert small_join[base] < small_rebuild[base]
    assert small_rebuild[base] <= 24, small_rebuild


def test_a_members_answer_does_not_grow_with_the_class(app, demo_course, qid):
    """The class counters add each answer's difference: the same statements for a class of 3 as of 30."""
    teacher = make_user("t@example.org", role="instructor")
    info = classes.create_class(teacher.id, "Big")
    counts = []
    for size, prefix in ((3, "a"), (27, "b")):
        learners = add_learners(info.id, size, prefix=prefix)
        answer_some(learners)
        class_summaries.ensure_fresh(info.id, db.session.scalar(select(Course.id)))
        db.session.expire_all()
        with count_statements() as statements:
            ask(learners[0], "status", number="405")
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 11, counts
