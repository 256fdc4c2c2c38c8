"""Git hooks shipped as console scripts (see .pre-commit-hooks.yaml)."""
