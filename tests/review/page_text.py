"""Read a review page back: the text of its panes and the attributes of its highlights."""

from __future__ import annotations

from html.parser import HTMLParser


class ReviewPage(HTMLParser):
    """The text of each ``pre.raw`` and ``pre.published``, the highlights, tags and attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.panes: dict[str, list[str]] = {"raw": [], "published": []}
        self.marks: list[dict[str, str]] = []
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.style = ""
        self._pane: str | None = None
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._in_style = tag == "style"
        attributes = {name: value or "" for name, value in attrs}
        self.attributes.update(attributes)
        classes = attributes.get("class", "").split()
        if tag == "pre" and "text" in classes:
            self._pane = "raw" if "raw" in classes else "published"
            self.panes[self._pane].append("")
        if tag == "mark" and "edit" in classes and self._pane == "raw":
            self.marks.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._pane = None
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._pane is not None:
            self.panes[self._pane][-1] += data
        if self._in_style:
            self.style += data
