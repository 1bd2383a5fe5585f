"""The dashboard's page cache: a repeat view is served from it, and any change behind the page shows at once."""

from __future__ import annotations

from dashboard_helpers import ask
from sqlalchemy import case, func, select
from support import count_statements, make_user

from quizapp.extensions import db
from quizapp.models import Attempt, Question
from quizapp.services.teaching import analytics, class_page, classes, reports
from quizapp.services.teaching.summaries import class_summaries


def demo():
    return reports.pick_course(reports.list_courses(), "demo")


def test_class_page_deciles_match_the_score_distribution(school):
    page = class_page.get_class_page(school.a.id, demo(), reports.OverviewQuery())
    stats = reports.learner_stats(school.a.id, demo().id)  # recomputed from the learner summaries
    buckets, total = [0] * 10, page.overview.total
    for correct, count in db.session.execute(select(stats.c.correct, func.count()).group_by(stats.c.correct)):
        buckets[min(9, correct * 10 // total) if total else 0] += count
    assert page.buckets == list(zip(class_page.DECILES, buckets, strict=True))


def test_repeat_view_is_one_query_and_a_new_answer_or_member_shows_at_once(school):
    course = demo()
    first = analytics.get_item_analysis(school.a.id, course)
    with count_statements() as statements:
        again = analytics.get_item_analysis(school.a.id, course)
    assert again is first and len(statements) == 1  # only the check that nothing changed
    ask(school.l6, "where", choice="b")  # l6 had never answered
    where = next(i for i in analytics.get_item_analysis(school.a.id, course).items if i.key.endswith("/where"))
    assert (where.learners, where.first_correct) == (4, 2)
    page = class_page.get_class_page(school.a.id, course, reports.OverviewQuery())
    newcomer = make_user("new@example.org")
    classes.join_class(newcomer.id, school.a.join_code)
    assert class_page.get_class_page(school.a.id, course, reports.OverviewQuery()).overview.class_size == \
        page.overview.class_size + 1


def test_activity_leaves_out_retired_questions_and_lessons(school, qid):
    course = demo()

    def totals():
        class_summaries.ensure_fresh(school.a.id, course.id)
        activity = class_page.read_activity(school.a.id, course.id)
        return sum(n for _, n, _ in activity), sum(c for _, _, c in activity)

    assert totals() == (19, 8)  # as test_dashboard_charts counts them
    db.session.get(Question, qid("where")).retired = True  # what a content reload does to a removed question
    db.session.commit()
    assert totals() == (15, 6)  # where: l1 b (right), l2 a then b (right), l3 c
    lesson = db.session.get(Question, qid("status")).lesson
    lesson.retired = True
    db.session.commit()
    retired = {q.id for q in lesson.questions}
    gone = db.session.execute(select(func.count(), func.sum(case((Attempt.correct.is_(True), 1), else_=0))).where(
        Attempt.question_id.in_(retired - {qid("where")}),
        Attempt.user_id.in_([school.l1.id, school.l2.id, school.l3.id]))).one()
    assert totals() == (15 - gone[0], 6 - (gone[1] or 0))
