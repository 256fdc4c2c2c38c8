"""pubdoctor: find and explain the failures of publishing Python packages to PyPI."""

__version__ = "0.1.0"
