"""Parse a lesson's text into dataclasses: front matter, questions, answer keys, values; check links and bounds."""
