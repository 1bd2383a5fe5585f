"""Course folders on disk: ordering, assets, file-level refusals, and all-or-nothing loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.content import MAX_FILE_BYTES, Problem, parse_course_dir, parse_lesson, parse_tree

FIXTURES = Path(__file__).parent / "fixtures"
GOOD, BROKEN = FIXTURES / "good", FIXTURES / "broken"


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Create files under folder and return it."""
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return folder


def errors(problems: list[Problem] | tuple[Problem, ...]) -> list[Problem]:
    """Keep only the problems that refuse a course."""
    return [p for p in problems if p.severity == "error"]


def test_good_tree() -> None:
    """Courses sort by order then slug; lessons by leading number; assets come along as bytes."""
    tree = parse_tree(GOOD)
    assert tree.broken == () and errors(tree.problems) == []
    assert [c.slug for c in tree.courses] == ["react", "python"]
    react = tree.courses[0]
    assert (react.title, react.order, react.summary) == (
        "React, the parts that bite",
        1,
        "Server and client components without surprises.",
    )
    assert [(lesson.slug, lesson.position) for lesson in react.lessons] == [
        ("server-actions", 1),
        ("route-handlers", 2),
    ]
    assert [a.path for a in react.assets] == ["assets/flow.svg"]
    assert react.assets[0].data.startswith(b"<svg")
    assert react.intro.startswith("This course assumes")
    assert react.lessons[0].tags == ("react", "nextjs") and react.lessons[0].minutes == 15


def test_broken_tree_reports_every_folder() -> None:
    """Broken folders are listed so a loader never retires them, and nothing of them loads."""
    tree = parse_tree(BROKEN)
    assert tree.courses == ()
    assert tree.broken == ("dup-slug", "escape", "missing-image", "no-course-md", "non-utf8")


def test_non_utf8_points_at_the_first_bad_byte() -> None:
    """A Latin-1 file is refused at the line of its first non-UTF-8 byte."""
    course, problems = parse_course_dir(BROKEN / "non-utf8")
    assert course is None
    (problem,) = errors(problems)
    assert problem.path.endswith("01-latin1.md") and (problem.line, problem.column) == (5, 4)
    assert "not UTF-8 (byte 0xe9 at line 5, column 4); re-save it as UTF-8" in problem.message


def test_link_leaving_the_course_is_refused() -> None:
    """A relative link may not climb out of the course folder."""
    course, problems = parse_course_dir(BROKEN / "escape")
    (problem,) = errors(problems)
    assert course is None and problem.line == 5 and problem.column == 19
    assert "link '../../secret.md' leaves the course folder" in problem.message


def test_missing_image_is_refused_with_a_suggestion() -> None:
    """An image pointing at a missing file is refused, naming the likely intended file."""
    course, problems = parse_course_dir(BROKEN / "missing-image")
    (problem,) = errors(problems)
    assert course is None and problem.line == 7
    assert "'assets/flw.svg' points to a missing file; did you mean 'assets/flow.svg'?" in problem.message


def test_folder_without_course_md() -> None:
    """A folder with lesson files but no course.md says to add one."""
    problems = [p for p in parse_tree(BROKEN).problems if p.path.endswith("no-course-md")]
    assert (
        len(problems) == 1 and "no course.md; add" in problems[0].message and "title:" in problems[0].message
    )


def test_duplicate_lesson_slug() -> None:
    """'01-a.md' and '02-a.md' give the same lesson key."""
    course, problems = parse_course_dir(BROKEN / "dup-slug")
    (problem,) = errors(problems)
    assert course is None and problem.path.endswith("02-a.md") and problem.line == 1
    assert "lesson slug 'a' is also used by 01-a.md" in problem.message


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    """A file over MAX_FILE_BYTES is refused before it is parsed."""
    big = "---\ntitle: Big\n---\n" + "x" * MAX_FILE_BYTES
    folder = write(tmp_path / "big", {"course.md": "---\ntitle: C\n---\n", "01-big.md": big})
    course, problems = parse_course_dir(folder)
    (problem,) = errors(problems)
    assert course is None and problem.path.endswith("01-big.md")
    assert "over the limit of 1,048,576" in problem.message


def test_one_bad_lesson_refuses_the_whole_course(tmp_path: Path) -> None:
    """Nothing is half-loaded: a course loads whole or not at all."""
    folder = write(
        tmp_path / "c",
        {
            "course.md": "---\ntitle: C\n---\n",
            "01-ok.md": "---\ntitle: Ok\n---\n",
            "02-bad.md": "no front matter\n",
        },
    )
    course, problems = parse_course_dir(folder)
    assert course is None and [p.path for p in errors(problems)] == [str(folder / "02-bad.md")]
    assert parse_tree(tmp_path).broken == ("c",)


def test_course_front_matter_checks(tmp_path: Path) -> None:
    """course.md has its own keys: order must be a whole number, lesson keys are unknown."""
    folder = write(tmp_path / "c", {"course.md": "---\ntitle: C\norder: first\nminutes: 3\n---\n"})
    _, problems = parse_course_dir(folder)
    assert [(p.line, p.message.split(";")[0]) for p in errors(problems)] == [
        (3, "'order' must be a whole number, e.g. order: 10 (it is 'first')"),
        (4, "unknown key 'minutes'"),
    ]


def test_course_folder_name_must_be_a_slug(tmp_path: Path) -> None:
    """The folder name is the course key, so it must be a slug."""
    folder = write(tmp_path / "My Course", {"course.md": "---\ntitle: C\n---\n"})
    _, problems = parse_course_dir(folder)
    assert "rename it to 'my-course'" in errors(problems)[0].message


def test_lesson_file_name_must_give_a_slug(tmp_path: Path) -> None:
    """The file name is the lesson key, so it must give a slug."""
    folder = write(
        tmp_path / "c", {"course.md": "---\ntitle: C\n---\n", "01-Hooks Intro.md": "---\ntitle: H\n---\n"}
    )
    _, problems = parse_course_dir(folder)
    assert "rename the file to 'hooks-intro.md'" in errors(problems)[0].message


def test_stray_files_and_empty_course_warn(tmp_path: Path) -> None:
    """Ignored files are named, so a misnamed lesson does not vanish silently."""
    folder = write(tmp_path / "c", {"course.md": "---\ntitle: C\n---\n", "notes.txt": "x"})
    course, problems = parse_course_dir(folder)
    assert course is not None and course.lessons == ()
    assert {p.severity for p in problems} == {"warning"}
    assert any("notes.txt" in p.path and "ignored" in p.message for p in problems)


def test_missing_root_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    """Checking a wrong path reports it."""
    tree = parse_tree(tmp_path / "nope")
    assert tree.courses == () and "does not exist" in tree.problems[0].message


def test_root_may_be_a_single_course_folder() -> None:
    """'content check content/react' checks just that course."""
    tree = parse_tree(GOOD / "react")
    assert [c.slug for c in tree.courses] == ["react"]


@pytest.mark.parametrize(
    ("line", "phrase"),
    [
        ("[x](/etc/passwd)", "starts with '/'"),
        ("[x](../outside.md)", "leaves the course folder"),
        ("[x](nope.md)", "points to a missing file"),
        ('<img src="assets/none.png" alt="">', "points to a missing file"),
        ("<a href='../up.html'>up</a>", "leaves the course folder"),
        ("[ref]: assets/none.png", "points to a missing file"),
        ("![x](<assets/no such.png>)", "points to a missing file"),
    ],
)
def test_bad_links(tmp_path: Path, line: str, phrase: str) -> None:
    """Links, images, reference definitions and raw tags are all checked, only with course_dir."""
    text = f"---\ntitle: T\n---\n{line}\n"
    lesson, problems = parse_lesson(text, path="t.md", slug="t", course_dir=tmp_path)
    assert lesson is None and problems[0].line == 4 and phrase in problems[0].message
    assert parse_lesson(text, path="t.md", slug="t")[1] == []


def test_good_links(tmp_path: Path) -> None:
    """Absolute URLs, anchors, mailto, existing files with ?query/#frag and code are fine."""
    write(tmp_path, {"assets/a b.png": b"png"})
    text = (
        "---\ntitle: T\n---\n[a](https://x.org) [b](//cdn.org/x) [c](#top) [d](mailto:a@b.c)\n"
        "![e](assets/a%20b.png?v=2#frag) `[f](missing.md)`\n\n```\n[g](missing.md)\n```\n"
    )
    assert parse_lesson(text, path="t.md", slug="t", course_dir=tmp_path)[1] == []
