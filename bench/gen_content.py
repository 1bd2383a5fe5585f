"""Generate a large, realistic content tree: courses of Markdown lessons with code fences and 10 questions each.

    python bench/gen_content.py OUT_DIR --lessons 1000 --questions 10
"""

from __future__ import annotations

import argparse
from pathlib import Path

LESSONS_PER_COURSE = 100

LESSON = """---
title: "Topic {n}: handling requests, part {n}"
summary: "Generated lesson {n} for the content-scale benchmark."
tags: [bench, generated]
minutes: {minutes}
---

## Why this matters

Lesson {n} looks at how a server turns a request into a response. Every handler reads its
input, checks it, does its work and answers with a **status code** and a body. Getting the
order of those steps right is what keeps an endpoint safe and predictable.

- Read the input once, and validate it before doing anything else.
- Keep side effects (writes, emails, payments) behind a `POST`.
- Answer with the status code that names what happened.

## Worked example

```python
from http import HTTPStatus


def handle_{n}(request):
    \"\"\"Create item {n} from a JSON body, refusing bad input.\"\"\"
    data = request.get_json(silent=True) or {{}}
    name = str(data.get("name", "")).strip()
    if not name:
        return {{"error": "name is required"}}, HTTPStatus.BAD_REQUEST
    item = store.create(name=name, owner=request.user.id)
    return {{"id": item.id, "name": item.name}}, HTTPStatus.CREATED
```

And the same endpoint seen from the browser:

```js
const response = await fetch('/api/items/{n}', {{
  method: 'POST',
  headers: {{ 'Content-Type': 'application/json' }},
  body: JSON.stringify({{ name: 'Lamp' }}),
}});
if (response.status === 201) {{
  console.log(await response.json());
}}
```

| Status | Meaning |
|---|---|
| 200 | OK |
| 201 | Created |
| 400 | Bad request |

## Practice

{questions}
"""

CHOICE = """### Which status for a new item? (q{n}-{i}) {{#q{i}-status}}

What should `handle_{n}` answer after it created an item?

- [ ] 200 OK
  > 200 works, but 201 says more precisely that something was created.
- [x] 201 Created
- [ ] 204 No Content
  > 204 means there is no body, yet the handler sends the new item back.

#### Hint
Look at the `return` at the end of the example.

#### Solution
201 Created: the request made a new resource.
"""

MULTI = """### Which belong behind POST? (q{n}-{i}) {{#q{i}-post}}

Which of these should only ever happen in a `POST` handler?

- [x] Charging a card
- [x] Sending an email
- [ ] Reading a public list of items
  > Reading changes nothing, so `GET` is the right method.

#### Solution
Anything with a side effect.
"""

TEXT = """### Name the method (q{n}-{i}) {{#q{i}-method}}

Which HTTP method does the `fetch` call in lesson {n} use?

Answer: POST
Wrong: GET
  > `GET` is the default, but the example sets `method: 'POST'`.

#### Solution
POST.
"""

NUMBER = """### Bad input (q{n}-{i}) {{#q{i}-number}}

Which status code does the handler send when the name is missing?

Answer: 400
Wrong: 404
  > 404 means the URL names nothing; here the URL is fine but the input is not.

#### Solution
400 Bad Request.
"""

ORDER = """### Order the steps (q{n}-{i}) {{#q{i}-order}}

Put the handler's steps in order.

1. Read the JSON body
2. Check that a name was given
3. Create the item
4. Answer 201 with the item

#### Solution
Read, check, create, answer.
"""

KINDS = (CHOICE, MULTI, TEXT, NUMBER, ORDER)


def generate(root: Path, *, lessons: int, questions_per_lesson: int) -> list[Path]:
    """Write the tree under ``root``; give the lesson files in order."""
    files = []
    for number in range(lessons):
        course = root / f"course-{number // LESSONS_PER_COURSE + 1:02d}"
        if not (course / "course.md").exists():
            course.mkdir(parents=True, exist_ok=True)
            index = number // LESSONS_PER_COURSE + 1
            (course / "course.md").write_text(
                f'---\ntitle: "Generated course {index}"\nsummary: "Benchmark content."\norder: {index}\n---\n\n'
                "A generated course for the content-scale benchmark.\n"
            )
        questions = "\n".join(KINDS[i % len(KINDS)].format(n=number, i=i) for i in range(questions_per_lesson))
        path = course / f"{number % LESSONS_PER_COURSE + 1:03d}-lesson-{number}.md"
        path.write_text(LESSON.format(n=number, minutes=5 + number % 20, questions=questions))
        files.append(path)
    return files


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()
    print(len(generate(args.out, lessons=args.lessons, questions_per_lesson=args.questions)), "lessons written")
