"""Render Markdown to safe HTML once, at load, with lesson links made to work in the app."""
