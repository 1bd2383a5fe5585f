"""Item analysis checked against statistics computed by hand on the school fixture (see conftest.school)."""

from __future__ import annotations

import math

import pytest

from quizapp.services.teaching import analytics, reports


@pytest.fixture
def analysis(school):
    """Class A's item analysis on the demo course."""
    course = reports.pick_course(reports.list_courses(), "demo")
    return analytics.get_item_analysis(school.a.id, course)


def by_anchor(analysis) -> dict:
    return {item.key.rsplit("/", 1)[-1]: item for item in analysis.items}


def test_facility_is_first_attempt_share(analysis):
    items = by_anchor(analysis)
    # Right first time: where l1 only; pick l1 and l3; method l1; status l2; only l1; steps nobody (1 tried).
    assert (items["where"].first_correct, items["where"].learners) == (1, 3)
    assert items["pick"].facility == pytest.approx(2 / 3)
    assert items["method"].facility == pytest.approx(1 / 3)
    assert items["status"].facility == pytest.approx(1 / 3)
    assert items["only"].facility == pytest.approx(1 / 3)
    assert (items["steps"].facility, items["steps"].learners) == (0, 1)


def test_attempts_and_ever_correct_count_later_attempts(analysis):
    items = by_anchor(analysis)
    # where: l1 b, l2 a then b, l3 c = 4 attempts; right at some point: l1, l2.
    assert (items["where"].attempts, items["where"].ever_correct) == (4, 2)
    # status: l1 404 then 405, l2 405, l3 404 twice = 5 attempts; right: l1, l2.
    assert (items["status"].attempts, items["status"].ever_correct) == (5, 2)


def test_discrimination_matches_hand_computed_pearson(analysis):
    items = by_anchor(analysis)
    # Totals of first-attempt scores: l1 4, l2 1, l3 1. Rest score y = total - item score x.
    # where: x=(1,0,0) y=(3,1,1): n=3 Sx=1 Sy=5 Sxy=3 Sxx=1 Syy=11
    #   r = (3*3 - 1*5) / sqrt((3*1 - 1)(3*11 - 25)) = 4 / sqrt(16) = 1.0
    assert items["where"].discrimination == pytest.approx(1.0)
    # pick: x=(1,0,1) y=(3,1,0): Sx=2 Sy=4 Sxy=3 Sxx=2 Syy=10
    #   r = (9 - 8) / sqrt((6 - 4)(30 - 16)) = 1 / sqrt(28) = 0.18898
    assert items["pick"].discrimination == pytest.approx(1 / math.sqrt(28))
    # status: x=(0,1,0) y=(4,0,1): Sx=1 Sy=5 Sxy=0 Sxx=1 Syy=17
    #   r = (0 - 5) / sqrt((3 - 1)(51 - 25)) = -5 / sqrt(52) = -0.69338
    assert items["status"].discrimination == pytest.approx(-5 / math.sqrt(52))
    # steps: one learner only, so no correlation.
    assert items["steps"].discrimination is None


def test_pearson_from_sums_edge_cases():
    assert analytics.pearson(3, 1, 5, 3, 1, 11) == pytest.approx(1.0)
    assert analytics.pearson(1, 1, 1, 1, 1, 1) is None  # one learner
    assert analytics.pearson(3, 3, 5, 5, 3, 11) is None  # everybody right: the item does not vary


def test_option_counts_are_distinct_learners_of_the_class(analysis):
    items = by_anchor(analysis)
    counts = {o.id: o.learners for o in items["where"].options}
    # a: l2; b: l1, l2; c: l3. Class B's two 'a' picks must not leak in.
    assert counts == {"a": 1, "b": 2, "c": 1}
    assert {o.id: o.learners for o in items["pick"].options} == {"a": 3, "b": 2, "c": 1}
    # Text/number: accepted = learners ever right; w1 the named wrong answer; other = unanticipated.
    assert {o.id: o.learners for o in items["method"].options} == {"accepted": 1, "w1": 1, "other": 1}
    assert {o.id: o.learners for o in items["status"].options} == {"accepted": 2, "w1": 2, "other": 0}
    assert [o.correct for o in items["where"].options] == [False, True, False]
    assert "does not move its body" in items["where"].options[0].feedback_html


def test_most_common_mistakes_rank_by_learners(analysis):
    ranked = [(m.question_title, m.option_id, m.learners) for m in analysis.mistakes]
    # status w1 (404): l1, l3 = 2; only b: l2, l3 = 2 (basics before more); then one learner each.
    assert ranked[:2] == [("Status code", "w1", 2), ("Only question", "b", 2)]
    assert sorted(ranked[2:]) == sorted([
        ("Where does it run?", "a", 1), ("Where does it run?", "c", 1),
        ("Pick the true ones", "c", 1), ("Name the method", "w1", 1),
    ])
    assert "404 is" in analysis.mistakes[0].feedback_html


def test_flags_for_questions_that_look_broken(analysis):
    items = by_anchor(analysis)
    assert items["steps"].flags == (analytics.FLAG_NOBODY,)  # tried by l2, right by nobody
    assert items["only"].flags == (analytics.FLAG_POPULAR_WRONG,)  # b by 2 learners, right by 1
    assert items["status"].flags == (analytics.FLAG_NEGATIVE,)  # r = -0.69
    assert items["where"].flags == () and items["pick"].flags == ()


def test_class_b_sees_only_its_own_learners(school):
    course = reports.pick_course(reports.list_courses(), "demo")
    items = by_anchor(analytics.get_item_analysis(school.b.id, course))
    assert {o.id: o.learners for o in items["where"].options} == {"a": 2, "b": 0, "c": 0}
    assert items["where"].facility == 0
    assert items["where"].flags == (analytics.FLAG_NOBODY, analytics.FLAG_POPULAR_WRONG)


def test_item_page_shows_counts_feedback_and_flags(school, as_user):
    client = as_user(school.alice)
    items = by_anchor(analytics.get_item_analysis(school.a.id, reports.pick_course(reports.list_courses(), "demo")))
    html = client.get(f"/dashboard/classes/{school.a.id}/items/{items['only'].id}?course=demo").get_data(as_text=True)
    assert "This is the wrong one." in html and analytics.FLAG_POPULAR_WRONG in html
    page = client.get(f"/dashboard/classes/{school.a.id}/items?course=demo").get_data(as_text=True)
    assert "Most common mistakes" in page and "-0.69" in page and "33%" in page
