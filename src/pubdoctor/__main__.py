"""Allow ``python -m pubdoctor``."""

from pubdoctor.cli import main

if __name__ == "__main__":
    main()
