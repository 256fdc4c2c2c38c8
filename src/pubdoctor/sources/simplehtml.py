"""The PEP 503 (HTML) page parser of the index source.

In a module of its own so that ``html.parser`` is imported only when an index answers in
HTML, never by an offline run that merely loads `pubdoctor.sources.index`.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote

from pubdoctor.sources.indexpage import IndexFile


class LinkParser(HTMLParser):
    """The anchors of a PEP 503 page: file names and ``data-yanked``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.files: list[IndexFile] = []
        self.tags = 0
        self._href: str | None = None
        self._yanked = False
        self._provenance: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if tag == "a":
            values = dict(attrs)
            self._href = values.get("href") or ""
            self._yanked = "data-yanked" in values
            self._provenance = values.get("data-provenance")  # PEP 740
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            # the file name is the last segment of the URL's path (PEP 503), else the link text
            path = self._href.split("#", 1)[0].split("?", 1)[0]
            name = unquote(path.rsplit("/", 1)[-1]) or "".join(self._text).strip()
            if name:
                fields: dict[str, object] = {"filename": name, "yanked": self._yanked}
                if self._provenance:
                    fields["provenance"] = self._provenance
                self.files.append(IndexFile.model_construct(**fields))  # type: ignore[arg-type]
            self._href = None
