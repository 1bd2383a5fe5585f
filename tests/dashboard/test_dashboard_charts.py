"""Charts: accessible server-side SVG with a title, a description and a data table, readable without JavaScript."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from quizapp import charts

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_labelled_escaped_and_well_formed():
    bars = [("a) <script>", 3), ("b) right", 5)]
    svg = charts.bar_chart("opts", "Picks <b>", "Who & why", bars, marked=[False, True])
    root = ET.fromstring(svg)  # well-formed XML, so nothing unescaped got in
    assert root.get("role") == "img" and root.get("aria-labelledby") == "opts-title opts-desc"
    assert root.find(f"{SVG}title").text == "Picks <b>" and root.find(f"{SVG}desc").text == "Who & why"
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    bars = root.findall(f".//{SVG}rect")
    assert [b.get("class") for b in bars] == ["bar", "bar marked"]
    assert float(bars[1].get("width")) > float(bars[0].get("width"))
    assert bars[0].find(f"{SVG}title").text == "a) <script>: 3"


def test_column_chart_draws_every_series_and_a_legend():
    svg = charts.column_chart("act", "Per day", "desc", ["d1", "d2"], [("answers", [2, 4]), ("correct", [1, 0])])
    root = ET.fromstring(svg)
    columns = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(columns) == 4 and columns[1].find(f"{SVG}title").text == "d2: 4 answers"
    assert "answers" in [t.text for t in root.iter(f"{SVG}text")]


def test_empty_data_still_draws_a_valid_chart():
    ET.fromstring(charts.bar_chart("x", "t", "d", []))
    ET.fromstring(charts.column_chart("y", "t", "d", [], []))


def test_class_page_has_both_charts_with_text_fallback(school, as_user):
    html = as_user(school.alice).get(f"/dashboard/classes/{school.a.id}").get_data(as_text=True)
    assert "<script" not in html.split("<main", 1)[1]  # nothing on the page needs JavaScript
    for chart_id in ("activity-chart", "score-chart"):
        assert f'id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"' in html
        assert f'<title id="{chart_id}-title">' in html and f'<desc id="{chart_id}-desc">' in html
    # Class A answered 19 times; right: l1 5 (W P M O, S on the second try), l2 2 (S, W again), l3 1 (P).
    assert "19 answers in the last 30 days, 8 of them correct." in html
    assert "Data table: Learners by share of the course right" in html
    # Deciles of 6 questions: l6 0/6 and l3 1/6 in 0-9% and 10-19%, l2 2/6 in 30-39%, l1 5/6 in 80-89%.
    table = html[html.index("<caption>Learners by share"):]
    cells = re.findall(r"<th scope=\"row\">([^<]+)</th><td>(\d+)</td>", table)[:10]
    assert [n for _, n in cells] == ["1", "1", "0", "1", "0", "0", "0", "0", "1", "0"]


def test_item_page_has_an_option_chart_with_the_right_answer_marked(school, as_user, qid):
    html = as_user(school.alice).get(
        f"/dashboard/classes/{school.a.id}/items/{qid('where')}?course=demo").get_data(as_text=True)
    svg = html[html.index('<svg'):html.index("</svg>") + 6]
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Learners per answer: Where does it run?"
    assert [r.get("class") for r in root.iter(f"{SVG}rect")] == ["bar", "bar marked", "bar"]
    assert "Data table: Learners per answer" in html
