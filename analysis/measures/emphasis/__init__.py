"""Emphasis: thematic frames. ``scorer.py`` (frame dictionaries, user dictionaries),
``temporal.py`` (past years and decades for history)."""
