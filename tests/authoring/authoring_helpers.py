"""Helpers of the authoring tests: write and edit content files, read pages, a small valid course."""

from __future__ import annotations

import re
import textwrap


def text_of(response) -> str:
    """Give a response's visible text, whitespace folded, for phrase checks."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def write(path, text: str) -> None:
    """Write a file from an indented literal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def edit(path, old: str, new: str) -> None:
    """Replace text in a content file, failing if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


GOOD_COURSE_MD = """
---
title: Good course
---
Intro.
"""

GOOD_LESSON = """
---
title: Only lesson
---
Body text.

## Practice

### Pick {#pick}

Which?

- [x] Right
- [ ] Wrong
  > Not this one.

#### Solution
Right.
"""


def run(runner, *args):
    """Invoke `quizapp content ...` and give the result."""
    return runner.invoke(args=["content", *map(str, args)])
