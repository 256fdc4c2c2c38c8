"""Loaders: one module per source a rule can read (pyproject, workflows, history, dist, index)."""
