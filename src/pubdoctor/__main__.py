"""Allow ``python -m pubdoctor``."""

from pubdoctor.cli import run

if __name__ == "__main__":
    run()
