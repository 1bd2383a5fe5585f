"""A ready-to-edit lesson file, so a new author starts from something that already loads."""

from __future__ import annotations

import json

_TEMPLATE = """\
---
title: {title_yaml}
summary: One sentence on what the learner will be able to do afterwards.
tags: [draft]
minutes: 10
---

Explain one idea in plain words, then show it in code:

```python
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


def new_lesson_markdown(title: str) -> str:
    """Return a lesson template with one example of every part, which parses with no problems."""
    clean = " ".join(title.split()) or "New lesson"
    return _TEMPLATE.format(title_yaml=json.dumps(clean, ensure_ascii=False))
