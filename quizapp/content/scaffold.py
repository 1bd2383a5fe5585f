"""A ready-to-edit lesson file, so a new author starts from something that already loads."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable

_FRONT = """\
---
title: {title_yaml}
summary: One sentence on what the learner will be able to do afterwards.
tags: [draft]
minutes: 10
---

"""

# One worked example per family of languages; {fence} is the course's own fence language.
_PYTHON = """\
Explain one idea in plain words, then show it in code:

```{fence}
def greet(name: str) -> str:
    # Lines that start with '#' inside a code fence stay code.
    return f"Hello, {{name}}!"
```

!!! note
    Admonitions like this one are good for a side remark.

## Practice

### What does greet return? {{#greet-returns}}

What does `greet("Ada")` return?

- [x] `"Hello, Ada!"`
- [ ] `"Hello, name!"`
  > The braces make it an f-string: `{{name}}` is replaced by the argument's value.
- [ ] Nothing: it only prints
  > `return` hands the value back to the caller; nothing is printed.

#### Hint
Look at the `f` in front of the string.

#### Solution
1. `f"..."` is an f-string: expressions in braces are evaluated.
2. `{{name}}` becomes `Ada`, so the result is `"Hello, Ada!"`.

#### Quick check
An f-string fills in `{{...}}` with values.

#### Common mistakes
- Forgetting the `f` prefix, so the braces stay literal
- Confusing `return` with `print`
"""

_SCRIPT = """\
Explain one idea in plain words, then show it in code:

```{fence}
export function greet(name{typed}){returns} {{
  // A comment inside a code fence stays code.
  return `Hello, ${{name}}!`;
}}
```

!!! note
    Admonitions like this one are good for a side remark.

## Practice

### What does greet return? {{#greet-returns}}

What does `greet("Ada")` return?

- [x] `"Hello, Ada!"`
- [ ] `"Hello, ${{name}}!"`
  > The backticks make it a template literal: `${{name}}` is replaced by the argument's value.
- [ ] Nothing: it only logs the greeting
  > `return` hands the value back to the caller; nothing is logged.

#### Hint
Look at the quotes around the string: they are backticks.

#### Solution
1. A string in backticks is a template literal: expressions inside `${{...}}` are evaluated.
2. `${{name}}` becomes `Ada`, so the result is `"Hello, Ada!"`.

#### Quick check
A template literal fills in `${{...}}` with values.

#### Common mistakes
- Using plain quotes instead of backticks, so `${{name}}` stays literal
- Confusing `return` with `console.log`
"""

_SCRIPT_LANGUAGES = {"ts": True, "tsx": True, "typescript": True, "js": False, "jsx": False, "javascript": False}
_FENCE = re.compile(r"^(?:```|~~~)\s*([A-Za-z0-9_+-]+)", re.MULTILINE)


def course_language(texts: Iterable[str]) -> str:
    """Name the fence language the course's lessons use most (python when they show no code)."""
    counts = Counter(match.lower() for text in texts for match in _FENCE.findall(text))
    counts.pop("md", None), counts.pop("markdown", None), counts.pop("text", None)
    return counts.most_common(1)[0][0] if counts else "python"


def new_lesson_markdown(title: str, language: str = "python") -> str:
    """Return a lesson template with one example of every part, which parses with no problems.

    ``language`` (see ``course_language``) picks the worked example: a TypeScript or JavaScript course gets
    a template-literal example in its own fence language, any other course the Python one.
    """
    clean = " ".join(title.split()) or "New lesson"
    front = _FRONT.format(title_yaml=json.dumps(clean, ensure_ascii=False))
    if language in _SCRIPT_LANGUAGES:
        typed = _SCRIPT_LANGUAGES[language]
        return front + _SCRIPT.format(fence=language, typed=": string" if typed else "",
                                      returns=": string" if typed else "")
    return front + _PYTHON.format(fence="python")
