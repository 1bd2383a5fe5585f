"""The shipped course keeps the promises of issues 2 and 19: big enough, every mistake named, every question
explained, and no question answerable by test-wiseness (length, position or wording cues)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from support import ROOT

from quizapp.content import parse_tree
from quizapp.content.model import ChoiceAnswer, NumberAnswer, OrderAnswer, Question, TextAnswer
from quizapp.grading.text import matches

TREE = parse_tree(ROOT / "content")
COURSE = TREE.courses[0]
LESSONS = list(COURSE.lessons)
QUESTIONS = [q for lesson in LESSONS for q in lesson.questions]
CHOICE = [q for q in QUESTIONS if isinstance(q.answer, ChoiceAnswer)]
SINGLE = [q for q in CHOICE if sum(c.correct for c in q.answer.choices) == 1]
SELECT_ALL = [q for q in CHOICE if sum(c.correct for c in q.answer.choices) > 1]
TEXT = [q for q in QUESTIONS if isinstance(q.answer, TextAnswer)]

# Ids learners already have progress on (issue 19: keep them while the question is the same).
KEPT_IDS = {
    "two-tools-difference", "where-action-body-runs", "action-call-network", "action-http-method", "true-for-both",
    "pages-api-default-export", "pages-api-405", "app-router-handler-shape", "unsupported-method",
    "route-file-name", "route-handler-flow", "action-syntax", "action-return-value", "use-server-directive",
    "directive-placement", "form-submission-order", "action-requirements", "public-api-and-forms",
    "needs-route-handler", "mobile-calls-action", "internal-form-fetch", "comparison-facts",
    "secure-action-checklist", "action-public-endpoint", "stale-after-update", "secure-action-order",
    "redirect-in-try-catch", "unauthenticated-status",
}

LETTER_REFERENCE = re.compile(
    r"\b(option|choice|answer)s?\s+\(?[a-h]\)?(?![\w-])|\([a-h]\)(?!\w)"
    r"|\b(first|second|third|fourth|fifth|sixth|last|top|bottom|other)\s+(one|option|choice|answer)s?\b",
    re.IGNORECASE,
)
ABOVE = re.compile(r"\b(all|none|both|neither)\s+(of\s+)?(the\s+)?(above|below)\b", re.IGNORECASE)


def plain(markdown: str) -> str:
    """Text a learner reads: no code ticks or emphasis, folded case and spaces."""
    return " ".join(re.sub(r"[`*_]", "", markdown).casefold().split())


def keys(question: Question) -> list[int]:
    return [i for i, c in enumerate(question.answer.choices) if c.correct]


def test_the_course_loads_without_any_problem_not_even_a_warning():
    assert not TREE.problems, [str(p) for p in TREE.problems]
    assert [c.slug for c in TREE.courses] == ["nextjs-server-logic"]


def test_it_has_at_least_five_lessons_and_twenty_questions_of_every_kind():
    assert len(LESSONS) >= 5 and len(QUESTIONS) >= 20
    assert {q.answer.kind for q in QUESTIONS} == {"choice", "text", "number", "order"}


def test_question_ids_learners_have_progress_on_are_kept():
    missing = KEPT_IDS - {q.id for q in QUESTIONS}
    assert not missing, missing


def test_every_wrong_answer_names_its_own_mistake_and_every_question_has_a_solution():
    for question in QUESTIONS:
        assert question.solution.strip() and question.quick_check.strip(), question.id
        answer = question.answer
        if isinstance(answer, ChoiceAnswer):
            feedback = [c.feedback.strip() for c in answer.choices if not c.correct]
        elif isinstance(answer, (TextAnswer, NumberAnswer)):
            feedback = [w.feedback.strip() for w in answer.wrong]
            assert feedback, f"{question.id}: anticipate at least one wrong answer"
        else:
            continue
        assert all(feedback), f"{question.id}: a wrong answer without feedback"
        assert len(set(feedback)) == len(feedback), f"{question.id}: two wrong answers share one feedback"


def test_the_keyed_answer_is_strictly_the_longest_in_at_most_half_of_the_single_choice_questions():
    longest = []
    for q in SINGLE:
        key = next(c for c in q.answer.choices if c.correct)
        if all(len(key.text) > len(c.text) for c in q.answer.choices if not c.correct):
            longest.append(q.id)
    assert len(longest) <= len(SINGLE) / 2, f"{len(longest)} of {len(SINGLE)}: {longest}"


def test_the_keyed_answer_is_not_the_shortest_option_instead_in_most_single_choice_questions():
    shortest = []
    for q in SINGLE:
        key = next(c for c in q.answer.choices if c.correct)
        if all(len(key.text) < len(c.text) for c in q.answer.choices if not c.correct):
            shortest.append(q.id)
    assert len(shortest) <= len(SINGLE) / 2, f"{len(shortest)} of {len(SINGLE)}: {shortest}"


def test_no_keyed_answer_is_more_than_one_and_a_half_times_as_long_as_every_distractor():
    for q in SINGLE:
        if "allow-length-cue" in q.markers:
            continue
        key = next(c for c in q.answer.choices if c.correct)
        longest_wrong = max(len(c.text) for c in q.answer.choices if not c.correct)
        assert len(key.text) <= 1.5 * longest_wrong, f"{q.id}: {len(key.text)} vs {longest_wrong}"


def test_no_authored_position_holds_more_than_forty_percent_of_the_keys():
    single = Counter(keys(q)[0] for q in SINGLE)
    assert max(single.values()) <= 0.4 * len(SINGLE), dict(single)
    every_key = Counter(i for q in CHOICE for i in keys(q))
    assert max(every_key.values()) <= 0.4 * sum(every_key.values()), dict(every_key)


def test_select_all_keys_are_spread_and_marked():
    assert SELECT_ALL
    for q in SELECT_ALL:
        assert "select-all" in q.markers, f"{q.id}: mark it '.select-all'"
        assert keys(q) != list(range(len(keys(q)))), f"{q.id}: the keys are simply the first options"
    assert len({tuple(keys(q)) for q in SELECT_ALL}) > 1, "every select-all question has its keys in the same places"
    first_is_key = [q.id for q in SELECT_ALL if keys(q)[0] == 0]
    assert len(first_is_key) <= len(SELECT_ALL) / 2, first_is_key
    for q in SINGLE:
        assert "select-all" not in q.markers, q.id


def test_no_all_or_none_of_the_above_options():
    for q in CHOICE:
        for c in q.answer.choices:
            assert not ABOVE.search(c.text), f"{q.id}: {c.text}"


def test_no_feedback_hint_or_solution_points_at_a_choice_by_letter_or_position():
    for q in QUESTIONS:
        texts = [q.solution, q.quick_check, *q.hints, *q.mistakes]
        if isinstance(q.answer, ChoiceAnswer):
            texts += [c.feedback for c in q.answer.choices]
        for text in texts:
            assert not LETTER_REFERENCE.search(text), f"{q.id}: {LETTER_REFERENCE.search(text).group(0)!r}"


def test_no_hint_or_prompt_gives_the_keyed_answer_away():
    for q in QUESTIONS:
        answer = q.answer
        if isinstance(answer, ChoiceAnswer):
            giveaways = [plain(c.text) for c in answer.choices if c.correct]
        elif isinstance(answer, (TextAnswer, NumberAnswer)):
            giveaways = [plain(p.raw) for p in answer.accepted if not p.raw.startswith("/")]
            if isinstance(answer, TextAnswer):  # a regex answer: no word or pair of words it accepts
                for place in [q.prompt, *q.hints]:
                    words = [w.strip("`*_.,;:!?()\"") for w in place.split()]
                    for text in words + [" ".join(pair) for pair in zip(words, words[1:], strict=False)]:
                        assert not any(matches(p, text) for p in answer.accepted), f"{q.id}: {text!r}"
        else:
            continue
        for place in [q.prompt, *q.hints]:
            for key in giveaways:
                assert not re.search(rf"(?<![\w.]){re.escape(key)}(?![\w.])", plain(place)), f"{q.id}: {key!r}"


def test_text_questions_name_their_near_misses_and_accept_none_of_them():
    near_misses = {
        "route-file-name": ["Route.ts", "ROUTE.TS", "route.js", "route.tsx", "page.tsx", "api.ts"],
        "use-server-directive": ["'use client'", "use client", '"use client";', "'server-only'", "use server'",
                                 "\"use server'", "`use server`", "'use-server'", "'Use Server'"],
        "action-http-method": ["GET", "PUT", "PATCH", "DELETE"],
        "error-file-name": ["Error.tsx", "error.js", "error.ts", "global-error.tsx", "_error.tsx", "not-found.tsx"],
    }
    right = {
        "route-file-name": ["route.ts"],
        "use-server-directive": ["'use server'", '"use server";', "use server", "  'use server';  "],
        "action-http-method": ["POST", "post", "HTTP POST"],
        "error-file-name": ["error.tsx", " error.tsx "],
    }
    by_id = {q.id: q.answer for q in TEXT}
    for qid, typed in near_misses.items():
        answer = by_id[qid]
        for text in typed:
            assert not any(matches(p, text) for p in answer.accepted), f"{qid} accepts {text!r}"
            assert any(matches(w.match, text) for w in answer.wrong), f"{qid}: no feedback for {text!r}"
        for text in right[qid]:
            assert any(matches(p, text) for p in answer.accepted), f"{qid} refuses {text!r}"
    for q in TEXT:
        for wrong in q.answer.wrong:
            if not wrong.match.raw.startswith("/"):
                assert not any(matches(p, wrong.match.raw) for p in q.answer.accepted), f"{q.id}: {wrong.match.raw}"


def test_order_questions_have_at_least_three_items():
    for q in QUESTIONS:
        if isinstance(q.answer, OrderAnswer):
            assert len(q.answer.items) >= 3, q.id


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_every_lesson_states_its_objectives_and_links_to_another_lesson(lesson):
    assert "you will be able to" in plain(lesson.body[:1500]), f"{lesson.slug}: objectives near the top"
    assert re.search(r"\]\(\d\d-[a-z0-9-]+\.md(#[a-z0-9-]+)?\)", lesson.body), f"{lesson.slug}: link a lesson"


def test_the_course_says_which_versions_it_is_written_for_and_what_the_placeholders_stand_for():
    intro = plain(COURSE.intro)
    assert "next.js 15" in intro and "16" in intro
    assert "db" in intro and "auth()" in intro


def test_the_course_passes_the_checker_in_strict_mode(runner):
    """Every teaching check (length, position, giveaway, letter references...) holds: warnings are errors here."""
    result = runner.invoke(args=["content", "check", "--strict", str(ROOT / "content")])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].endswith("questions checked: no errors.")
