"""Rich text (clause bodies, a version's preamble) and the plain text read from it.

One storage rule: rich text is stored as sanitised HTML in which every character a person typed is
escaped exactly once ("&" as "&amp;", "<" as "&lt;"); plain-text fields (headings, titles, names,
labels) are stored as typed and escaped only by the template engine when a page is drawn.

- `sanitize_html` turns what the editor or an API client sends (HTML) into stored HTML.
- `rich_text_html` is what a page, the print view, the PDF and the API show of stored HTML.
- `html_to_text` and `one_line` are the plain text of it: for labels, citations, iCal, the diff,
  search and the API's `plain_text`, with paragraphs and list items kept apart.
"""

import re
from html.entities import html5 as HTML5_ENTITIES
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Script and style bodies are dropped with their tags, not turned into visible text.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template"}

# The elements of HTML. A "<" that opens none of them ("<Board>", "a < b", "x <y") is text a person
# typed, and is kept as text instead of being read as an unknown tag and thrown away.
HTML_ELEMENTS = [
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "menu",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "math",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "o:p",
]
_ATTRIBUTES = r"""(?:[^<>"']|"[^"]*"|'[^']*')*"""
STRAY_ANGLE = re.compile(
    rf"<(?!!--|!doctype|/?(?:{'|'.join(re.escape(name) for name in HTML_ELEMENTS)})(?=[\s/>]){_ATTRIBUTES}>)",
    re.IGNORECASE,
)
ANY_TAG = re.compile(r"<(?:!--|/?[a-z])", re.IGNORECASE)
# A browser's contenteditable box starts a new line with <div>, which the sanitiser would otherwise
# strip, running the lines together.
DIV_OPEN, DIV_CLOSE = re.compile(r"<div\b[^>]*>", re.IGNORECASE), re.compile(r"</div\s*>", re.IGNORECASE)
EMPTY_PARAGRAPH = re.compile(r"<p>(\s|&nbsp;|<br>)*</p>")
# A character reference written out as visible text, "&amp;amp;" in stored HTML: the mark of text
# escaped twice (the sanitiser once escaped the editor's already-escaped HTML again).
REFERENCE_NAMES = frozenset(name[:-1] for name in HTML5_ENTITIES if name.endswith(";"))
ESCAPED_REFERENCE = re.compile(r"&amp;(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|([A-Za-z][A-Za-z0-9]{1,31});)")


def _unescape_reference(match):
    name = match.group(2)
    return match.group(0) if name and name not in REFERENCE_NAMES else "&" + match.group(1)


def undo_double_escape(value: str) -> str:
    """Stored HTML with every escaped character reference unescaped once more, until none is left.

    Nobody writes "&amp;" or "&lt;" into a protocol meaning those characters literally, so a
    reference shown as text is always the old double escape: "&amp;amp;" becomes "&amp;".
    """
    value = value or ""
    while "&amp;" in value:
        repaired = ESCAPED_REFERENCE.sub(_unescape_reference, value)
        if repaired == value:
            break
        value = repaired
    return value


def sanitize_html(value: str) -> str:
    """Stored HTML for rich text that the editor or an API client sends, escaped exactly once.

    What arrives is HTML: the editor's rich-text box sends its HTML, where a typed "&" is already
    "&amp;" and a typed "<" already "&lt;", so it is parsed, never escaped again. A bare "&" or a "<"
    that opens no HTML element is read as the character itself. Text without tags becomes
    paragraphs, one per blank-line block. Saving the result again gives the same result.
    """
    value = (value or "").strip()
    if not value:
        return ""
    value = undo_double_escape(STRAY_ANGLE.sub("&lt;", value))
    value = DIV_CLOSE.sub("</p>", DIV_OPEN.sub("<p>", value))
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    if not ANY_TAG.search(cleaned):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", cleaned) if p.strip()]
        cleaned = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    # Browsers' contenteditable leaves empty paragraphs and non-breaking spaces behind.
    return EMPTY_PARAGRAPH.sub("", cleaned).strip()


def rich_text_html(stored: str) -> str:
    """The HTML to show for stored rich text.

    Rows saved before the storage rule was fixed may hold text escaped twice. Drafts were repaired
    in place by a data migration; agreed and superseded versions are the signed record and are
    never rewritten (their content fingerprint is taken over the stored text), so they are
    repaired here, as they are shown.
    """
    return undo_double_escape(stored or "")


BLOCK_TAGS = {
    "p",
    "div",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "caption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
}
CELL_TAGS = {"td", "th"}
CELL_SEPARATOR = " | "


class _TextParser(HTMLParser):
    """Collects the text a reader sees, one line per paragraph, list item, table row or line break."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = []
        self.current = []
        self.skip = 0
        self.cells_in_row = 0

    def _break(self):
        line = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in DROP_WITH_CONTENT:
            self.skip += 1
        elif tag == "br" or tag in BLOCK_TAGS:
            self._break()
            if tag == "tr":
                self.cells_in_row = 0
        elif tag in CELL_TAGS:
            if self.cells_in_row:
                self.current.append(CELL_SEPARATOR)
            self.cells_in_row += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in DROP_WITH_CONTENT:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self._break()

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data.replace("\xa0", " "))

    def text(self):
        self.close()
        self._break()
        return "\n".join(self.lines)


def html_to_text(stored: str) -> str:
    """The words of stored rich text as plain text: no markup, no entities, one line per block.

    Paragraphs, list items, table rows and line breaks each start a new line, so a list never runs
    into the sentence before it ("must:" / "publish…;" / "publish…").
    """
    parser = _TextParser()
    parser.feed(rich_text_html(stored))
    return parser.text()


def one_line(text: str) -> str:
    """Plain text on one line: each line joined to the next with "; " unless it already ends in punctuation."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        out += (" " if out[-1] in ".,;:!?" else "; ") + line
    return out


def is_blank_html(value: str) -> bool:
    return not html_to_text(value).strip()
