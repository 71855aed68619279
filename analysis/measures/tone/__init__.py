"""Tone: optimism vs caution. ``scorer.py`` (the measure), ``vader.py`` (VADER in one pass)."""
