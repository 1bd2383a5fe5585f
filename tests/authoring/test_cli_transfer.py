"""`quizapp content export`, `import-gift` and `new-lesson` through the real CLI runner, on real files."""

from __future__ import annotations

from authoring_helpers import run

BASICS = "01-basics.md"


# --- export and import-gift --------------------------------------------------------------------


def test_export_to_a_folder_and_a_zip(runner, tree, tmp_path):
    assert run(runner, "load", tree).exit_code == 0
    result = run(runner, "export", "demo", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / BASICS).read_text() == (tree / "demo" / BASICS).read_text()
    assert (tmp_path / "out" / "assets" / "dot.svg").read_bytes() == (tree / "demo" / "assets" / "dot.svg").read_bytes()
    assert run(runner, "export", "demo", tmp_path / "demo.zip").exit_code == 0
    assert (tmp_path / "demo.zip").read_bytes()[:2] == b"PK"
    assert run(runner, "export", "nope", tmp_path / "x").exit_code != 0
    assert run(runner, "export", "demo", tmp_path / "out").exit_code != 0  # never overwrites a folder


GIFT = """
::Capital:: What is the capital of France? {=Paris#Yes. ~London#That is England's capital. ~Berlin}

::Sky:: The sky is green. {F#It is blue on a clear day.#Right.}

::Answer:: Six times seven? {#42:0.5}
"""


def test_import_gift_writes_a_lesson_that_passes_the_checker(runner, tree, tmp_path):
    gift = tmp_path / "quiz.gift"
    gift.write_text(GIFT)
    result = run(runner, "import-gift", gift, "--course", tree / "demo", "--title", "Imported quiz")
    assert result.exit_code == 0, result.output
    created = tree / "demo" / "03-imported-quiz.md"
    assert created.is_file() and "That is England's capital." in created.read_text()
    assert run(runner, "check", tree).exit_code == 0
    assert "03-imported-quiz.md" in result.output


def test_new_lesson_scaffold_passes_the_checker(runner, tree):
    result = run(runner, "new-lesson", "Route handlers", "--course", tree / "demo")
    assert result.exit_code == 0 and (tree / "demo" / "03-route-handlers.md").is_file()
    assert run(runner, "check", tree).exit_code == 0
