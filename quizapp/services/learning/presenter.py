"""One presenter for a question, whatever the door: a learner, a question and their state in; what to show out.

The lesson page, the no-JavaScript question page, the in-place fragment (and review and the API, which
render the same ``Presented``) all show a question through ``present``. It decides, in one place:

- the order of the options: choices shuffled per learner and question (stable for that learner, computed,
  never stored) unless the question is ``.fixed-order``; order items never shown in their correct order;
- the hints revealed (the server's count, never the form's);
- how the latest answer is marked: the picked choices right or wrong, the right ones missed (only once the
  solution may be seen), the order items in or out of place, a typed answer kept in its field;
- the reveal rule (course.md ``reveal:``): whether the solution, quick check and common mistakes may be
  shown yet, and whether to invite one more try, offer "Show the solution", or "Continue".

Pure: dataclasses in, a dataclass out; no Flask, no database. Nothing in ``Presented`` that the rule does
not yet allow ever reaches a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import blake2b

from quizapp.content.model import Answer, ChoiceAnswer, OrderAnswer
from quizapp.grading import grade

AFTER_SECOND_TRY, AFTER_ANSWER, ON_REQUEST = "after-second-try", "after-answer", "on-request"
GAVE_UP = "gave_up"  # the response stored when a learner asks for the solution before getting it right


@dataclass(frozen=True)
class Option:
    """A choice or an order item as shown: its id and HTML, and how the latest answer marks it."""

    id: str
    html: str
    picked: bool = False
    mark: str | None = None  # 'right', 'wrong', 'missed' (a right choice not picked), or None


@dataclass(frozen=True)
class LastAnswer:
    """A stored answer as the learner saw it graded: what they sent and the feedback they got (its score is
    graded again from the response when shown: the same key, since states are read on the current one)."""

    response: dict
    correct: bool
    feedback_html: tuple[str, ...]
    attempt_id: int | None = None


@dataclass(frozen=True)
class QuestionState:
    """A learner's record on one question's current answer key, and the help they took."""

    attempts: int = 0
    last_correct: bool | None = None
    hints: int = 0  # hints revealed, as the server counted them
    asked: bool = False  # asked for the solution
    last: LastAnswer | None = None  # None when not read (``loaded`` says whether it was)
    first_correct: bool | None = None
    ever_correct: bool = False
    last_attempt_id: int | None = None

    @property
    def signature(self) -> tuple:
        """Everything ``present`` reads of this state, as a cheap hashable value (to key what is derived)."""
        return self.attempts, self.last_correct, self.hints, self.asked, self.last_attempt_id

    @property
    def loaded(self) -> bool:
        """Say whether the latest answer itself was read, where there is one (``present`` needs it)."""
        return self.last_attempt_id is None or self.last is not None


@dataclass(frozen=True)
class Verdict:
    """The latest graded answer, as shown beside the question."""

    correct: bool
    score: float
    gave_up: bool
    feedback_html: tuple[str, ...]
    missed: int  # select-all: right choices left out


@dataclass(frozen=True)
class Presented:
    """Everything a door shows of one question for one learner, and nothing the reveal rule holds back."""

    id: int
    anchor: str
    title: str
    kind: str
    prompt_html: str
    multiple: bool
    options: tuple[Option, ...]
    hints_html: tuple[str, ...]
    hint_count: int
    status: str | None  # None (not answered), 'correct' or 'incorrect' (the latest answer)
    typed: str = ""  # a text or number answer kept in its field
    verdict: Verdict | None = None
    error: str | None = None  # a malformed answer, explained (it cost no attempt)
    solution_html: str = ""
    quick_check_html: str = ""
    mistakes_html: tuple[str, ...] = ()
    revealed: bool = False  # the solution may be seen (the three fields above are filled)
    try_again: bool = False  # a first miss under after-second-try: invite one more try
    can_ask_solution: bool = False  # offer "Show the solution"
    done: bool = False  # right, or the solution seen: offer "Continue"

    @property
    def more_hints(self) -> bool:
        """Say whether another hint may be asked for."""
        return len(self.hints_html) < self.hint_count and not self.done


def present(authored, state: QuestionState, *, user_id: int | None, error: str | None = None,
            echo: dict | None = None) -> Presented:
    """Give what to show of ``authored`` (``practice.Authored``) to one learner in ``state``.

    ``error`` and ``echo``: a malformed answer just sent (nothing stored) and what was typed, kept in the form.
    """
    view, key = authored.view, authored.key
    last = None if error is not None else state.last
    revealed = may_reveal(authored.reveal, state)
    verdict = None if last is None else _verdict(key.answer, last)
    response = echo if echo is not None else (last.response if last is not None else {})
    graded = echo is None and verdict is not None and not verdict.gave_up
    options = _options(view, key.answer, response, graded, revealed, fixed=authored.fixed_order, user_id=user_id)
    done = bool(state.last_correct) or revealed and state.attempts > 0
    return Presented(
        id=view.id, anchor=view.anchor, title=view.title, kind=view.kind, prompt_html=view.prompt_html,
        multiple=view.multiple, options=options, hints_html=authored.hints_html[:max(0, state.hints)],
        hint_count=len(authored.hints_html), status=status_name(state.last_correct, state.attempts),
        typed=str(response.get("text") or response.get("raw") or ""), verdict=verdict, error=error,
        solution_html=key.solution_html if revealed else "",
        quick_check_html=key.quick_check_html if revealed else "",
        mistakes_html=key.mistakes_html if revealed else (), revealed=revealed,
        try_again=verdict is not None and not verdict.correct and not revealed and state.attempts == 1
        and authored.reveal == AFTER_SECOND_TRY,
        can_ask_solution=verdict is not None and not revealed, done=done,
    )


def may_reveal(rule: str, state: QuestionState) -> bool:
    """Apply the reveal rule: may the solution, quick check and common mistakes be shown now?"""
    if state.asked:
        return True
    if state.attempts == 0 or rule == ON_REQUEST:
        return False
    return rule == AFTER_ANSWER or bool(state.last_correct) or state.attempts >= 2


def status_name(correct: bool | None, attempts: int) -> str | None:
    """Name a learner's status on a question: None (not answered), "correct" or "incorrect" (the latest)."""
    return None if attempts == 0 else ("correct" if correct else "incorrect")


def shuffled(items: Sequence, seed: str, *, never_as_given: bool = False) -> list:
    """Shuffle items (each with a distinct ``id``) stably per seed: sorted by a keyed hash of their ids, so a
    learner's order is computed in microseconds and never stored. ``never_as_given`` rotates an unlucky
    shuffle that left the items as they were."""
    out = sorted(items, key=lambda item: blake2b(f"{seed}:{item.id}".encode(), digest_size=8).digest())
    if never_as_given and len(out) > 1 and out == list(items):
        out = out[1:] + out[:1]
    return out


def learner_order(view, user_id: int | None, *, fixed: bool) -> tuple:
    """Give the options in one learner's order: order items never solved, choices shuffled unless fixed."""
    if view.kind == "order":
        return tuple(shuffled(view.options, f"{user_id}:{view.id}", never_as_given=True))
    if fixed or not view.options:
        return tuple(view.options)
    return tuple(shuffled(view.options, f"choices:{user_id}:{view.id}"))


def _verdict(answer: Answer, last: LastAnswer) -> Verdict:
    if last.response.get(GAVE_UP):
        return Verdict(False, 0.0, True, last.feedback_html, 0)
    graded = grade(answer, last.response)
    missed = len(graded.missed) if isinstance(answer, ChoiceAnswer) and answer.multiple else 0
    return Verdict(last.correct, graded.score, False, last.feedback_html, missed)


def _options(view, answer: Answer, response: dict, graded: bool, revealed: bool, *, fixed: bool,
             user_id: int | None) -> tuple[Option, ...]:
    shown = learner_order(view, user_id, fixed=fixed)
    if isinstance(answer, OrderAnswer):
        return _order_options(shown, answer, response.get("order"), graded)
    if not isinstance(answer, ChoiceAnswer):
        return tuple(Option(o.id, o.html) for o in shown)
    picked = set(response.get("choices") or ())
    right = {c.id for c in answer.choices if c.correct}
    return tuple(Option(o.id, o.html, o.id in picked, _choice_mark(o.id in picked, o.id in right, graded, revealed))
                 for o in shown)


def _choice_mark(picked: bool, right: bool, graded: bool, revealed: bool) -> str | None:
    if not graded:
        return None
    if picked:
        return "right" if right else "wrong"
    return "missed" if right and revealed else None


def _order_options(shown: tuple, answer: OrderAnswer, order: list | None, graded: bool) -> tuple[Option, ...]:
    if order:  # as the learner last arranged them
        rank = {item_id: index for index, item_id in enumerate(order)}
        shown = tuple(sorted(shown, key=lambda o: rank.get(o.id, len(rank))))
    authored = [item.id for item in answer.items]
    marked = graded and bool(order)
    return tuple(Option(o.id, o.html, mark=("right" if authored[i] == o.id else "wrong") if marked else None)
                 for i, o in enumerate(shown))
