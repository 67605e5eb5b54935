"""Turn blocks into a parsed document: title, front-page facts, sections with their numbering as
written, clauses and sub-clauses, tables, and warnings for whatever was not understood.

The parse proposes; it never asserts. Every block of the document ends up in a section (as a
clause, a table, or an unnumbered clause with a warning), so nothing is dropped silently.
"""

import html
import re
from dataclasses import asdict, dataclass, field

from .dates import PartialDate, find_date
from .readers import Block

_DOTTED = re.compile(r"^(?P<number>\d{1,3}(?:\.\d{1,3})+\.?)\s+(?P<rest>\S.*)$")
_INTEGER = re.compile(r"^(?P<number>\d{1,3}\.?)\s+(?P<rest>\S.*)$")
_LETTER = re.compile(r"^(?P<number>\(?[a-zA-Z]\)|[a-z]\.)\s+(?P<rest>\S.*)$")
_ROMAN = re.compile(r"^(?P<number>\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)[.)])\s+(?P<rest>\S.*)$")
_COMBINED = re.compile(r"^(?P<number>\d{1,3}(?:\.\d{1,3})+\s+\(?[a-z]\))\s+(?P<rest>\S.*)$")
_PART = re.compile(
    r"^(?P<number>(?:part|appendix|annex|annexe|schedule|section)\s+(?:[A-Z]|\d{1,2}|[IVX]{1,5})\b[.:]?)\s*[-–:]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_SUSPECT_NUMBER = re.compile(r"^(?:\d{1,3}[a-z]?\)|\d{1,3}\.\d{1,3}[a-z]|[A-Z]\.\d)\s")
_KEY_VALUE = re.compile(r"^(?P<key>[A-Z][\w &'/]{1,40}):\s*(?P<value>.*)$")


@dataclass
class Clause:
    number: str  # as written: "3.6", "(a)", "i.", "" for an unnumbered clause or a bullet
    text: str
    kind: str = "paragraph"  # "numbered", "paragraph", "bullet", "table"
    table_html: str = ""
    rows: list[list[str]] = field(default_factory=list)
    children: list["Clause"] = field(default_factory=list)
    warning: str = ""


@dataclass
class Section:
    number: str  # "1.", "Part B", "APPENDIX A", "" when unnumbered
    heading: str  # "" for a section without a heading
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class Approval:
    party: str  # as written: "Health & Wellbeing board", "Chair of Children's Trust"
    date: PartialDate | None
    signatory: str = ""  # only when the document names one
    source: str = ""


@dataclass
class PastVersion:
    version: str
    date: PartialDate | None
    status: str  # "approved", "circulated_draft", "withdrawn", or "" when the table does not say
    author: str = ""
    notes: str = ""


@dataclass
class ParsedDocument:
    title: str = ""
    title_from_body: bool = False  # the title lines are not repeated in the sections
    version: str = ""
    date_agreed: PartialDate | None = None
    document_date: PartialDate | None = None
    review_date: PartialDate | None = None
    author: str = ""
    sections: list[Section] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    past_versions: list[PastVersion] = field(default_factory=list)
    glossary: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)

    def all_clauses(self):
        """Every clause in reading order, depth first, with its section."""

        def walk(section, clauses):
            for clause in clauses:
                yield section, clause
                yield from walk(section, clause.children)

        for section in self.sections:
            yield from walk(section, section.clauses)

    @property
    def clause_count(self) -> int:
        return sum(1 for _ in self.all_clauses())

    def clause_numbers(self) -> list[str]:
        return [clause.number for _, clause in self.all_clauses() if clause.number]

    def as_dict(self) -> dict:
        """JSON-ready; each date also carries its precision and how it reads ('June 2015')."""

        def label_dates(value):
            if isinstance(value, dict):
                if set(value) == {"year", "month", "day"}:
                    date = PartialDate(**value)
                    return {**value, "precision": date.precision, "label": str(date)}
                return {key: label_dates(item) for key, item in value.items()}
            if isinstance(value, list | tuple):
                return [label_dates(item) for item in value]
            return value

        data = label_dates(asdict(self))
        data["clause_count"] = self.clause_count
        return data


# --- reading numbering ---------------------------------------------------------------------------


def split_number(text: str) -> tuple[str, str, str]:
    """(numbering kind, number as written, the rest) for a line of text."""
    for kind, pattern in (
        ("combined", _COMBINED),
        ("dotted", _DOTTED),
        ("integer", _INTEGER),
        ("roman", _ROMAN),
        ("letter", _LETTER),
    ):
        if match := pattern.match(text):
            return kind, match.group("number"), match.group("rest")
    return "", "", text


_TRAILING_FUNCTION_WORD = re.compile(
    r"\b(?:the|a|an|of|and|or|to|that|which|by|for|with|include|includes|including|in|on|as|is|are)$", re.I
)


def _is_short_heading(text: str, allow_period: bool = False, max_words: int = 25) -> bool:
    words = text.split()
    text = text.strip()
    if not words or len(words) > max_words or len(text) > 200:
        return False
    if (match := _APPROVED.match(text)) and find_date(match.group("date")) is not None:
        return False
    if text.endswith((",", ";")) or (text.endswith(".") and not allow_period and len(words) > 2):
        return False
    if _TRAILING_FUNCTION_WORD.search(text.rstrip(".")):
        return False
    if text.startswith("(") or re.fullmatch(r"[\w\s?,]*\d{4}", text) and find_date(text) is not None:
        return False
    if re.match(r"^[A-Z&]{2,}\s+[-–]\s", text):  # a glossary line: 'LSCB - Local ...'
        return False
    if text.rstrip().endswith(":") and len(words) > 2:
        return False
    if ";" in text or re.search(r"\w: \S", text):
        return False
    first = text.lstrip("“\"'(")[:1]
    return first.isupper() or first.isdigit()


_KNOWN_HEADING = re.compile(
    r"^(glossary|abbreviations|definitions|introduction|background|purpose|summary|appendices|contents)\b", re.I
)
_NOT_HEADINGS = re.compile(r"^(signed|date|chair|approved|version)\b", re.IGNORECASE)


class _Builder:
    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.doc = ParsedDocument()
        self.section: Section | None = None
        self.stack: list[tuple[int, Clause]] = []
        self.integer_clauses = 0

    # sections ----------------------------------------------------------------------------------
    def open_section(self, number: str, heading: str) -> None:
        self.section = Section(number=number, heading=heading)
        self.doc.sections.append(self.section)
        self.stack = []

    def add(self, clause: Clause, rank: int) -> None:
        if self.section is None:
            self.open_section("", "")
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        if self.stack:
            self.stack[-1][1].children.append(clause)
        else:
            self.section.clauses.append(clause)
        self.stack.append((rank, clause))

    def section_heading(self, index: int, block: Block) -> tuple[str, str] | None:
        """(number, heading) when this block opens a section."""
        text = block.text.strip()
        if block.heading_level is not None and block.heading_level >= 1:
            if match := _PART.match(text):
                return match.group("number").rstrip(".:"), match.group("rest").strip()
            kind, number, rest = split_number(text)
            if kind in ("integer", "dotted"):
                return number, rest
            return "", text
        if block.list_level is not None or block.bullet or _NOT_HEADINGS.match(text):
            return None
        if match := _PART.match(text):
            rest = match.group("rest").strip()
            if not rest or _is_short_heading(rest) or len(rest.split()) < 25:
                return match.group("number").rstrip(".:"), rest.lstrip(":–- ")
        kind, number, rest = split_number(text)
        upcoming = self.next_numbered(index)
        if (
            kind == "integer"
            and upcoming is not None
            and upcoming[0] == "dotted"
            and upcoming[1].split(".")[0] == number.rstrip(".")
            and _is_short_heading(rest, allow_period=True, max_words=30)
        ):
            return number, rest  # '4. Joint working ...' followed by '4.1': a heading, however long
        if kind == "integer" and _is_short_heading(rest, allow_period=True, max_words=15) and rest[:1].isupper():
            if rest.rstrip().endswith(":"):
                return None
            if rest.rstrip().endswith(".") and (
                self.integer_clauses or (upcoming is not None and upcoming[0] == "integer")
            ):
                return None  # a short sentence in a run of numbered paragraphs, not a heading
            return number, rest
        if kind == "" and _is_short_heading(text) and not self.is_last_paragraph(index):
            next_block = self.next_block(index)
            if next_block is not None and next_block.heading_level is not None and not _KNOWN_HEADING.match(text):
                return None
            # A heading introduces something: not another heading-like line at the same place.
            if next_block is not None and next_block.kind == "paragraph" and next_block.heading_level is None:
                nxt = next_block.text.strip()
                if (
                    _is_short_heading(nxt)
                    and not next_block.bullet
                    and split_number(nxt)[0] == ""
                    and not _KNOWN_HEADING.match(text)
                ):
                    return None
            return "", text
        return None

    def next_block(self, index: int) -> Block | None:
        return self.blocks[index + 1] if index + 1 < len(self.blocks) else None

    def is_last_paragraph(self, index: int) -> bool:
        return index + 1 >= len(self.blocks)

    def next_numbered(self, index: int):
        for block in self.blocks[index + 1 : index + 4]:
            if block.kind == "paragraph":
                kind, number, _ = split_number(block.text.strip())
                if kind:
                    return kind, number
        return None

    # clauses -----------------------------------------------------------------------------------
    def clause(self, block: Block) -> None:
        text = block.text.strip()
        kind, number, rest = split_number(text)
        if kind == "roman" and number.strip("().").lower() in ("i", "v", "x") and self.letter_follows(number):
            kind = "letter"
        if kind == "integer":
            self.integer_clauses += 1
        if kind:
            rank = {
                "integer": 10,
                "dotted": 10 + number.rstrip(".").count(".") - 1,
                "combined": 20,
                "letter": 20,
                "roman": 30,
            }[kind]
            self.add(Clause(number=number, text=rest, kind="numbered"), rank)
            return
        if block.bullet or block.list_level is not None:
            level = block.list_level or 0
            self.add(Clause(number="", text=text, kind="bullet"), 40 + level)
            return
        clause = Clause(number="", text=text, kind="paragraph")
        if _SUSPECT_NUMBER.match(text):
            clause.warning = f"Numbering not recognised: “{text.split()[0]}”; kept as an unnumbered clause."
            self.doc.warnings.append(clause.warning)
        self.add(clause, 10)

    def letter_follows(self, number: str) -> bool:
        """'i)' after 'h)' is the letter i, not the roman numeral one."""
        for _, clause in reversed(list(self._recent())):
            kind, previous, _ = split_number(f"{clause.number} x") if clause.number else ("", "", "")
            if kind == "letter":
                return previous.strip("().").lower() == chr(ord(number.strip("().").lower()) - 1)
            if kind in ("integer", "dotted"):
                return False
        return False

    def _recent(self):
        return [(None, clause) for _, clause in self.stack] + [
            (None, child) for _, clause in self.stack for child in clause.children
        ]

    def table(self, block: Block) -> None:
        rows = [row for row in block.rows if any(cell.strip() for cell in row)]
        recognised = recognise_table(rows, self.doc, self.section)
        clause = Clause(number="", text="", kind="table", table_html=table_html(rows), rows=rows)
        if not recognised:
            clause.warning = "A table was not understood; it is kept as a table."
            self.doc.warnings.append(clause.warning)
        self.add(clause, 10)


def table_html(rows: list[list[str]]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows if row)
    return f"<table>{body}</table>"


# --- front page, title and facts -----------------------------------------------------------------

_CONNECTOR = re.compile(r"^(between|and|of|for|with)$", re.IGNORECASE)
_APPROVED = re.compile(
    r"^(?P<party>.+?)\s*[-–,:]?\s*(?:approved|agreed|signed off)\b[: ]*(?:on|in|at)?\s*(?P<date>.*)$", re.IGNORECASE
)
_VERSION = re.compile(r"\bversion\s+(?P<version>\d+(?:\.\d+)?)\b", re.IGNORECASE)


def parse_blocks(blocks: list[Block]) -> ParsedDocument:
    builder = _Builder(blocks)
    doc = builder.doc
    start = _take_title(blocks, doc)
    builder.blocks = blocks
    for index in range(start, len(blocks)):
        block = blocks[index]
        if block.kind == "table":
            builder.table(block)
            continue
        if block.heading_level == 0 and not doc.title:
            doc.title = block.text.strip()
            doc.title_lines.append(block.text.strip())
            doc.title_from_body = True
            continue
        opened = builder.section_heading(index, block)
        if opened is not None:
            builder.open_section(*opened)
            continue
        builder.clause(block)
    _front_facts(doc)
    _approvals(doc)
    _glossary_from_lines(doc)
    _check_sequences(doc)
    if not doc.title:
        doc.warnings.insert(0, "No title was found; type one before saving.")
    return doc


def _take_title(blocks: list[Block], doc: ParsedDocument) -> int:
    """Title lines at the top of the document: a Title-styled paragraph, or the first line with
    the lines a 'BETWEEN' joins to it. A 'Title:' field found later wins over these."""
    index = 0
    while index < len(blocks) and blocks[index].kind == "paragraph" and not blocks[index].text.strip():
        index += 1
    if index >= len(blocks) or blocks[index].kind != "paragraph":
        return index
    first = blocks[index]
    if first.heading_level not in (None, 0) or first.bullet or split_number(first.text)[0]:
        return index
    if any(block.kind == "table" and _key_value_rows(block.rows) for block in blocks[:8]):
        return index
    lines = [first.text.strip()]
    index += 1
    joining = False
    while index < len(blocks) and blocks[index].kind == "paragraph":
        text = blocks[index].text.strip()
        if _CONNECTOR.match(text):
            lines.append(text)
            joining = True
            index += 1
            continue
        if (
            joining
            and len(text) < 120
            and not text.endswith((".", ":"))
            and not _NOT_HEADINGS.match(text)
            and not _KEY_VALUE.match(text)
            and not split_number(text)[0]
        ):
            lines.append(text)
            index += 1
            continue
        break
    doc.title = " ".join(lines)
    doc.title_lines = lines
    doc.title_from_body = True
    return index


def _key_value_rows(rows: list[list[str]]) -> bool:
    pairs = [row for row in rows if len([c for c in row if c]) >= 2 and row[0].rstrip().endswith(":")]
    return len(pairs) >= 2 and len(pairs) >= len(rows) / 2


_FIELD_NAMES = {
    "title": "title",
    "version": "version",
    "version number": "version",
    "date": "document_date",
    "date agreed": "date_agreed",
    "date approved": "date_agreed",
    "approved": "date_agreed",
    "agreed": "date_agreed",
    "review date": "review_date",
    "date of review": "review_date",
    "next review": "review_date",
    "review due": "review_date",
    "author": "author",
    "report author": "author",
    "report author and contact details": "author",
    "owner": "author",
}


def recognise_table(rows: list[list[str]], doc: ParsedDocument, section: Section | None) -> bool:
    """Takes the facts a table states into `doc`; True when the table was understood."""
    if not rows:
        return True
    header = [cell.strip().lower() for cell in rows[0]]
    if any("version" in cell for cell in header) and any("date" in cell for cell in header):
        column = {name: i for i, name in enumerate(header)}

        def cell(row, *words):
            for name, i in column.items():
                if any(word in name for word in words) and i < len(row):
                    return row[i].strip()
            return ""

        for row in rows[1:]:
            version = cell(row, "version")
            if not version:
                continue
            status_text = cell(row, "status").lower()
            # The document's word, mapped to what a past version can be: approved, a draft that was
            # circulated, or withdrawn; "" when the table does not say.
            status = (
                "circulated_draft"
                if re.search(r"draft|circulat", status_text)
                else "withdrawn"
                if "withdrawn" in status_text
                else "approved"
                if re.search(r"agree|approv|final|signed", status_text)
                else ""
            )
            doc.past_versions.append(
                PastVersion(
                    version=version,
                    date=find_date(cell(row, "date")),
                    status=status,
                    author=cell(row, "author", "by"),
                    notes=cell(row, "change", "note", "summary", "comment", "description"),
                )
            )
        return True
    in_glossary = section is not None and re.search(r"glossary|abbreviation|definition", section.heading, re.I)
    if (any(w in " ".join(header) for w in ("term", "abbreviation", "acronym", "glossary")) or in_glossary) and all(
        len([c for c in row if c.strip()]) == 2 for row in rows
    ):
        body = rows[1:] if not in_glossary or any(w in " ".join(header) for w in ("term", "abbreviation")) else rows
        doc.glossary.extend((row[0].strip(), row[1].strip()) for row in body if len(row) >= 2)
        return True
    if _key_value_rows(rows):
        for row in rows:
            cells = [c for c in row if c.strip()]
            if len(cells) < 2:
                continue
            key = cells[0].rstrip(":").strip().lower()
            value = re.sub(r"<[^>]+>", " ", " ".join(cells[1:])).strip()
            name = _FIELD_NAMES.get(key)
            if name == "title" and not doc.title:
                doc.title = value
            elif name == "version" and not doc.version:
                doc.version = value
            elif name == "author" and not doc.author:
                doc.author = re.split(r"\s+(?:telephone|tel|email|e-mail)\b", value, flags=re.I)[0].strip(" ,")
            elif name in ("document_date", "date_agreed", "review_date") and getattr(doc, name) is None:
                setattr(doc, name, find_date(value))
        return True
    return False


def _front_facts(doc: ParsedDocument) -> None:
    """A bare date line on the front page ('July 2011') is the document's date, not its agreement."""
    front = [clause for _, clause in list(doc.all_clauses())[:8]]
    signature_blocks = any(re.match(r"^signed\b", clause.text, re.IGNORECASE) for clause in front)
    for clause in front:
        # 'Date: March 2016', 'Version: 3', 'Review date: ...' written as lines on the front page
        # (but a 'Date:' under a signature is that signature's date).
        if signature_blocks:
            break
        if clause.kind == "paragraph" and (match := _KEY_VALUE.match(clause.text)):
            recognise_table([[match.group("key") + ":", match.group("value")]] * 2, doc, None)
    if doc.document_date is None and doc.sections:
        first = doc.sections[0]
        for clause in first.clauses[:3]:
            if clause.kind == "paragraph" and len(clause.text.split()) <= 4:
                date = find_date(clause.text)
                if date is not None and re.sub(r"[\d\s,/.-]", "", clause.text).isalpha():
                    doc.document_date = date
                    break
        if doc.document_date is None and not first.number and re.fullmatch(r"\w+\s+\d{4}", first.heading):
            doc.document_date = find_date(first.heading)


def _approvals(doc: ParsedDocument) -> None:
    """'Signed: Chair of X (Name)' followed by 'Date: ...', 'X approved December 2012', 'Version 2
    ... approved: ? June 2015'. A name is recorded only when the document gives one."""
    texts = [clause.text for _, clause in doc.all_clauses() if clause.kind != "table"]
    index = 0
    while index < len(texts):
        text = texts[index].strip()
        if match := re.match(r"^signed\s*:?\s*(?P<who>.*)$", text, re.IGNORECASE):
            who = match.group("who").strip()
            signatory = ""
            date = None
            look = index + 1
            while look < len(texts) and look <= index + 3:
                following = texts[look].strip()
                if re.match(r"^signed\b", following, re.I):
                    break
                if following.startswith("(") and following.endswith(")") and not signatory:
                    signatory = following.strip("()")
                elif m := re.match(r"^date\s*:?\s*(.*)$", following, re.IGNORECASE):
                    date = find_date(m.group(1))
                    look += 1
                    break
                elif not who and len(following.split()) < 12:
                    who = following
                look += 1
            if m := re.match(r"^(?P<post>.*?)\s*\((?P<name>[^)]+)\)\s*$", who):
                who, signatory = m.group("post").strip(), m.group("name").strip()
            if who.strip(". "):
                doc.approvals.append(Approval(party=who.strip(), date=date, signatory=signatory, source=text))
            index = look
            continue
        if len(text) < 160 and (match := _APPROVED.match(text)):
            date = find_date(match.group("date"))
            if date is not None:
                party = match.group("party").strip(" -–:,")
                if version := _VERSION.search(party):
                    doc.version = doc.version or version.group("version")
                    doc.date_agreed = doc.date_agreed or date
                    party = ""
                doc.approvals.append(Approval(party=party, date=date, source=text))
        index += 1
    if doc.date_agreed is None and doc.approvals:
        dated = [approval.date for approval in doc.approvals if approval.date is not None]
        if dated:
            doc.date_agreed = max(dated, key=lambda date: date.sort_key())


def _glossary_from_lines(doc: ParsedDocument) -> None:
    for section in doc.sections:
        if not re.search(r"glossary|abbreviations", section.heading, re.IGNORECASE):
            continue
        for clause in section.clauses:
            if match := re.match(r"^(?P<term>[A-Z][\w&/]{1,15})\s+[-–:]\s+(?P<meaning>.+)$", clause.text):
                doc.glossary.append((match.group("term"), match.group("meaning").strip()))


def _number_value(number: str, previous_letter: str = ""):
    """(series, position) of a number as written: ('', 4) for '4.', ('3', 5) for '3.5',
    ('letter', 2) for '(b)'. None for numbering that has no simple order."""
    kind = split_number(f"{number} x")[0]
    core = number.strip("().").split()[-1].strip("().")
    if kind == "roman" and core.lower() in ("i", "v", "x") and previous_letter == chr(ord(core.lower()) - 1):
        kind = "letter"
    if kind == "integer":
        return ("", int(core))
    if kind == "dotted":
        parts = core.rstrip(".").split(".")
        return (".".join(parts[:-1]), int(parts[-1]))
    if kind == "letter":
        return ("letter", ord(core.lower()) - ord("a") + 1)
    return None


def _check_sequences(doc: ParsedDocument) -> None:
    """Warn where a run of numbers skips one ('4.' after '2.', '3.5' after '3.3', 'c)' after 'a)').
    Integer and dotted numbers run through the whole document (a section heading between '3.4'
    and '3.5' does not restart them); an appendix or part starts them again; letters run within
    their parent clause."""
    running: dict[str, int] = {}

    def note(parsed, number: str, where: str, series: dict) -> None:
        prefix, n = parsed
        last = series.get(prefix, 0)
        if n > last + 1:
            gap = f"{last}" if last else "the start"
            doc.warnings.append(f"Numbering skips from {gap} to {number}" + (f" in “{where}”" if where else "") + ".")
        series[prefix] = n

    def walk(clauses: list[Clause], where: str) -> None:
        letters: dict[str, int] = {}
        previous_letter = ""
        for clause in clauses:
            if clause.number:
                parsed = _number_value(clause.number, previous_letter)
                if parsed is not None:
                    note(parsed, clause.number, where, letters if parsed[0] == "letter" else running)
                    if parsed[0] == "letter":
                        previous_letter = chr(ord("a") + parsed[1] - 1)
            walk(clause.children, where)

    sections_series: dict[str, int] = {}
    for section in doc.sections:
        if _PART.match(section.number):
            running.clear()
            sections_series.clear()
        elif section.number and (parsed := _number_value(section.number)) is not None and parsed[0] == "":
            label = f"{section.number} {section.heading}".strip()
            note(parsed, section.number, label, sections_series)
            # '3 Background' followed by '3.1': the dotted series starts again under it.
            running.pop(str(parsed[1]), None)
        walk(section.clauses, f"{section.number} {section.heading}".strip())


def parse_document(data: bytes, filename: str = "") -> ParsedDocument:
    """Read and parse an uploaded file. Raises `ImportRefused` for a file that cannot be read."""
    from .readers import read_document

    _, blocks = read_document(data, filename)
    return parse_blocks(blocks)
