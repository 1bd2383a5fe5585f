"""Link brackets in linear time: a Python-Markdown extension for text with many unclosed '['.

Python-Markdown's link, image and reference processors find the ']' that closes a '[' by scanning the
rest of the text (``LinkInlineProcessor.getText``); for a '[' that never closes, that is the whole rest,
so 50,000 '[' characters took minutes (review M7). Here the first question about a text is answered by
that scan, as before (a link's text is short); a second question about the same, unchanged text matches
every '[' of it to its ']' in one pass (a stack), and every later question is answered from that. A
matched link changes the text, so a text full of links still costs a short scan per link.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

_PROCESSORS = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref")


class LinearBrackets(Extension):
    """Answer the link processors' bracket matching from one pass over the text."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        """Give each link processor the one-pass ``getText``."""
        matcher = _Matcher()
        for name in _PROCESSORS:
            if name in md.inlinePatterns:
                processor = md.inlinePatterns[name]
                processor.getText = matcher.get_text  # type: ignore[method-assign]


class _Matcher:
    """The closing ']' of every '[' of the last text looked at."""

    def __init__(self) -> None:
        self._data: str | None = None
        self._closing: dict[int, int] | None = None

    def get_text(self, data: str, index: int) -> tuple[str, int, bool]:
        """Give what ``LinkInlineProcessor.getText`` gives: the text inside, the index after, and if closed."""
        if data is not self._data:
            self._data, self._closing = data, None
            return _scan(data, index)
        if self._closing is None:
            self._closing = _closing_brackets(data)
        close = self._closing.get(index - 1) if index > 0 and data[index - 1] == "[" else None
        if close is None:
            return data[index:], len(data), False
        return data[index:close], close + 1, True


def _scan(data: str, index: int) -> tuple[str, int, bool]:
    """Find the ']' closing the '[' before ``index`` by counting, as Python-Markdown does."""
    depth = 1
    for position in range(index, len(data)):
        char = data[position]
        if char == "]":
            depth -= 1
            if depth == 0:
                return data[index:position], position + 1, True
        elif char == "[":
            depth += 1
    return data[index:], len(data), False


def _closing_brackets(data: str) -> dict[int, int]:
    """Map the position of each '[' to that of the ']' that closes it (counting nested pairs)."""
    opened: list[int] = []
    closing: dict[int, int] = {}
    for position, char in enumerate(data):
        if char == "[":
            opened.append(position)
        elif char == "]" and opened:
            closing[opened.pop()] = position
    return closing
