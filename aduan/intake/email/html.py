"""HTML-only mails made readable as plain text (stdlib html.parser; no markup survives, S13).

Scripts, styles and the head are dropped; block elements become line breaks, list items get a
dash, links keep their address when it differs from their text, and quoted replies
(`<blockquote>`, Gmail's `gmail_quote`) become `> ` lines that quotes.py strips like any
plain-text quote.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "head", "title", "template", "noscript", "svg", "object", "iframe"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_PARAGRAPH = {"p", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "wbr"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []  # (quote depth, text)
        self.current: list[str] = []
        self.skip_depth = 0
        self.quote_depth = 0
        self.open_tags: list[tuple[str, bool]] = []  # open elements: (tag, opened a quote)
        self.pre_depth = 0
        self.link: str | None = None
        self.link_text: list[str] = []

    def _break(self, blank: bool = False) -> None:
        """End the current line; `blank` also leaves an empty line (after a paragraph)."""
        text = "".join(self.current)
        if self.pre_depth == 0:
            text = re.sub(r"[ \t\r\n\f\v\u00a0]+", " ", text).strip()
        if text:
            self.lines.append((self.quote_depth, text))
        if blank and self.lines and self.lines[-1][1]:
            self.lines.append((self.quote_depth, ""))
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        classes = (dict(attrs).get("class") or "").split()
        is_quote = tag == "blockquote" or "gmail_quote" in classes
        if tag in _BLOCK or tag == "br" or is_quote:
            self._break()
        if tag not in _VOID:
            self.open_tags.append((tag, is_quote))
            if is_quote:
                self.quote_depth += 1
        if tag == "li":
            self.current.append("- ")
        elif tag == "pre":
            self.pre_depth += 1
        elif tag == "a":
            self.link = dict(attrs).get("href") or None
            self.link_text = []
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.current.append(f"[{alt}]")
        elif tag in ("td", "th"):
            self.current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth or tag in _VOID:
            return
        if tag == "a" and self.link:
            shown = "".join(self.link_text).strip()
            href = self.link
            if href.startswith(("http://", "https://")) and href not in shown:
                self.current.append(f" ({href})")
            self.link = None
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        # Close up to the matching open element (browsers forgive unclosed <p>, <li>...); an end
        # tag that was never opened is ignored.
        if not any(open_tag == tag for open_tag, _quote in self.open_tags):
            return
        closed_quotes = 0
        while self.open_tags:
            open_tag, opened_quote = self.open_tags.pop()
            closed_quotes += opened_quote
            if open_tag == tag:
                break
        if tag in _BLOCK or closed_quotes:
            self._break(blank=tag in _PARAGRAPH or bool(closed_quotes))
        self.quote_depth = max(0, self.quote_depth - closed_quotes)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        self.current.append(data)
        if self.link is not None:
            self.link_text.append(data)

    def text(self) -> str:
        self._break()
        out: list[str] = []
        for depth, line in self.lines:
            out.append(("> " * depth + line).rstrip() if line else "")
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; a pathological input still must not crash
        return re.sub(r"<[^>]*>", " ", html).strip()
    return parser.text()
