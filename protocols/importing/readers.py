"""Turn an uploaded file into a flat sequence of blocks: paragraphs (with style, heading level and
list level) and tables. The file's type is decided by its content, never by its name, and every
refusal is an `ImportRefused` with a sentence a business manager can act on.

Nothing here touches the database or the disk: the reader works on the bytes it is given.
"""

import io
import math
import re
import zipfile
from dataclasses import dataclass, field

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A zip archive (docx, odt) may expand to at most this much, and no member more than this ratio:
# ordinary documents compress text about 5 to 20 times; a zip bomb compresses by thousands.
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 2000

BULLET_GLYPHS = "-*•·>▶▪◦‣–"


class ImportRefused(ValueError):
    """The file cannot be read; the message says why in the user's terms."""


@dataclass
class Block:
    kind: str  # "paragraph" or "table"
    text: str = ""
    style: str = ""
    heading_level: int | None = None  # 0 for a title, 1.. for headings
    list_level: int | None = None  # None when not a list item; 0 for a top-level item
    bullet: bool = False  # a list item marked by a bullet glyph rather than a number
    rows: list[list[str]] = field(default_factory=list)


FORMAT_LABELS = {
    "docx": "Word (.docx)",
    "odt": "OpenDocument (.odt)",
    "pdf": "PDF",
    "txt": "plain text",
    "md": "Markdown",
}


def detect_format(data: bytes, filename: str = "") -> str:
    """The format of `data` judged by its content. The name only tells Markdown from plain text."""
    if not data:
        raise ImportRefused("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            f"The file is {len(data) / 1048576:.1f} MB; the largest file the registry imports is "
            f"{MAX_UPLOAD_BYTES // 1048576} MB."
        )
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        names = _checked_zip_names(data)
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
            if mimetype == b"application/vnd.oasis.opendocument.text":
                return "odt"
        raise ImportRefused("This is a zip archive but not a Word (.docx) or OpenDocument text (.odt) document.")
    if data.startswith((b"\xd0\xcf\x11\xe0", b"{\\rtf")):
        raise ImportRefused(
            "This looks like an old Word (.doc) or RTF file; save it as .docx or PDF from Word and upload that."
        )
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused("The file is not a document the registry can read (.docx, .odt, .pdf, .txt or .md).")
    return "md" if filename.lower().endswith((".md", ".markdown")) else "txt"


def _checked_zip_names(data: bytes) -> set[str]:
    """Member names of a zip archive, after refusing one that would expand out of all proportion."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ImportRefused(
            "The file is a damaged zip archive (a .docx or .odt file that did not save fully)."
        ) from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ImportRefused("The archive holds too many parts to be an ordinary document.")
        total = 0
        for member in members:
            if member.flag_bits & 0x1:
                raise ImportRefused("The document is password-protected; remove the password and upload it again.")
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if total > MAX_UNZIPPED_BYTES or (member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO):
                raise ImportRefused(
                    "The file expands to far more than an ordinary document would (a possible zip bomb); it was not read."
                )
        return {member.filename for member in members}


def read_document(data: bytes, filename: str = "", progress=None) -> tuple[str, list[Block]]:
    """(format, blocks) for the uploaded bytes, or `ImportRefused`. `progress(pages read, pages)` is
    called as a PDF is read, page by page."""
    fmt = detect_format(data, filename)
    if fmt == "pdf":
        blocks = read_pdf(data, progress=progress)
    elif fmt in ("txt", "md"):
        blocks = read_text(decode_text(data), markdown=fmt == "md")
    else:
        blocks = {"docx": read_docx, "odt": read_odt}[fmt](data)
    if not any(block.text.strip() or block.rows for block in blocks):
        if fmt == "pdf":
            raise ImportRefused(
                "The PDF holds no text, only images (a scan). Upload the Word original, or a PDF saved from it."
            )
        raise ImportRefused("The document holds no text.")
    return fmt, blocks


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


# --- plain text and Markdown -------------------------------------------------------------------

_BULLET_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<glyph>(?:(?:[-*•·>▶▪◦‣]|–)\s+)+)(?P<rest>\S.*)$")
_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def read_text(text: str, markdown: bool = False) -> list[Block]:
    """Each non-empty line is a paragraph; lines with tabs in a run form a table; a line that starts
    in lower case after a line with no closing punctuation continues it (a page break or a hard
    wrap in the middle of a sentence)."""
    blocks: list[Block] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            if blocks and blocks[-1].kind == "table":
                blocks.append(Block(kind="break"))
            continue
        if "\t" in line.strip() or (blocks and blocks[-1].kind == "table" and "\t" in line):
            row = [cell.strip() for cell in line.split("\t")]
            if blocks and blocks[-1].kind == "break" and blocks[-2].kind == "table":
                blocks.pop()  # a table carried over a page break is one table
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(row)
            else:
                blocks.append(Block(kind="table", rows=[row]))
            continue
        if markdown and (match := _MD_HEADING_RE.match(line)):
            level = len(match.group(1))
            if level == 1 and not any(block.heading_level == 0 for block in blocks):
                level = 0  # the first '#' heading is the document's title
            blocks.append(Block(kind="paragraph", text=match.group(2), heading_level=level, style=f"h{level}"))
            continue
        match = _BULLET_RE.match(line)
        if match:
            level = min(len(match.group("indent").expandtabs(2)) // 1, 6)
            blocks.append(Block(kind="paragraph", text=match.group("rest").strip(), list_level=level, bullet=True))
            continue
        stripped = line.strip()
        previous = blocks[-1] if blocks else None
        if (
            previous is not None
            and previous.kind == "paragraph"
            and previous.heading_level is None
            and stripped[:1].islower()
            and not re.match(r"^[a-z]{1,4}[.)]\s", stripped)
            and not previous.text.rstrip().endswith((".", ":", ";", "!", "?"))
        ):
            previous.text = previous.text.rstrip() + " " + stripped
            continue
        blocks.append(Block(kind="paragraph", text=stripped))
    return [block for block in blocks if block.kind != "break"]


# --- Word ---------------------------------------------------------------------------------------


def read_docx(data: bytes) -> list[Block]:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a broken package
        raise ImportRefused("The Word document could not be opened; it may be damaged.") from error
    blocks: list[Block] = []
    # Style names by id, read once: asking each paragraph for its style searches all styles.
    style_names = {style.style_id: style.name for style in document.styles if style.style_id}
    default_style = document.styles.default(1) if hasattr(document.styles, "default") else None
    default_name = default_style.name if default_style is not None else ""
    style_tag, val = qn("w:pStyle"), qn("w:val")
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, document).text.strip()
            if not text:
                continue
            style_element = child.find(f"{qn('w:pPr')}/{style_tag}")
            style = style_names.get(style_element.get(val), "") if style_element is not None else default_name
            blocks.append(_styled_block(text, style, _docx_list_level(child)))
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            rows = []
            for row in table.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    # A merged cell is reported once per grid column it spans; keep it once.
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append("\n".join(p.text for p in cell.paragraphs).strip())
                rows.append(cells)
            blocks.append(Block(kind="table", rows=rows))
    return blocks


def _docx_list_level(paragraph_element) -> int | None:
    from docx.oxml.ns import qn

    properties = paragraph_element.find(qn("w:pPr"))
    numbering = properties.find(qn("w:numPr")) if properties is not None else None
    if numbering is None:
        return None
    level = numbering.find(qn("w:ilvl"))
    return int(level.get(qn("w:val"))) if level is not None else 0


_HEADING_STYLE_RE = re.compile(r"^(?:heading|überschrift|titre)\s*(\d)$", re.IGNORECASE)
_LIST_STYLE_RE = re.compile(r"^list (bullet|number|paragraph|continue)\s*(\d)?$", re.IGNORECASE)


def _styled_block(text: str, style: str, numbering_level: int | None) -> Block:
    block = Block(kind="paragraph", text=text, style=style)
    lowered = style.lower()
    if lowered in ("title", "subtitle"):
        block.heading_level = 0 if lowered == "title" else None
        return block
    if match := _HEADING_STYLE_RE.match(style.strip()):
        block.heading_level = int(match.group(1))
        return block
    if match := _LIST_STYLE_RE.match(style.strip()):
        block.list_level = int(match.group(2) or 1) - 1
        block.bullet = match.group(1).lower() == "bullet"
    elif numbering_level is not None:
        block.list_level = numbering_level
        block.bullet = True
    return block


# --- OpenDocument -------------------------------------------------------------------------------


def read_odt(data: bytes) -> list[Block]:
    from odf import teletype
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
    except Exception as error:
        raise ImportRefused("The OpenDocument file could not be opened; it may be damaged.") from error
    blocks: list[Block] = []

    def walk(element, list_depth: int | None) -> None:
        for node in element.childNodes:
            qname = getattr(node, "qname", None)
            if qname == (TEXTNS, "h"):
                level = int(node.getAttrNS(TEXTNS, "outline-level") or 1)
                text = teletype.extractText(node).strip()
                if text:
                    blocks.append(Block(kind="paragraph", text=text, heading_level=level, style=f"Heading {level}"))
            elif qname == (TEXTNS, "p"):
                text = teletype.extractText(node).strip()
                if text:
                    style = node.getAttrNS(TEXTNS, "style-name") or ""
                    block = _styled_block(text, style, None)
                    if list_depth is not None:
                        block.list_level, block.bullet = list_depth, True
                    blocks.append(block)
            elif qname == (TEXTNS, "list"):
                walk(node, 0 if list_depth is None else list_depth + 1)
            elif qname == (TABLENS, "table"):
                rows = []
                for row in node.getElementsByType(_odf_table_row()):
                    rows.append(
                        [teletype.extractText(cell).strip() for cell in row.childNodes if cell.qname[1] == "table-cell"]
                    )
                blocks.append(Block(kind="table", rows=rows))
            elif hasattr(node, "childNodes"):
                walk(node, list_depth)

    walk(document.text, None)
    return blocks


def _odf_table_row():
    from odf.table import TableRow

    return TableRow


# --- PDF ----------------------------------------------------------------------------------------


def pdf_page_count(data: bytes) -> int:
    """How many pages a PDF has (0 when it cannot be opened: reading it will say why)."""
    import pypdf

    try:
        return len(pypdf.PdfReader(io.BytesIO(data)).pages)
    except Exception:
        return 0


def read_pdf(data: bytes, progress=None) -> list[Block]:
    """Lines are grouped into paragraphs by the gaps between them; a line in a larger font than the
    body is a heading; a bullet glyph starts a list item, its indentation gives the level.

    Pages are read one at a time. A page with no ruled lines is read from its text operations
    (pypdf), several times faster than a full layout analysis; a page that draws lines or boxes,
    where a ruled table may be, is read by pdfplumber, which finds the table's cells. `progress`,
    when given, is called with (pages read, pages) after each page."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as error:
        raise ImportRefused("The PDF could not be opened; it may be damaged.") from error
    if encrypted:
        raise ImportRefused("The PDF is encrypted or password-protected; upload an unprotected copy.")
    lines = []
    plumber = None
    try:
        pages = reader.pages
        for page_number, page in enumerate(pages):
            page_lines = _pypdf_lines(page, page_number)
            if page_lines is None:  # ruled: a table may be drawn here
                if plumber is None:
                    import pdfplumber

                    plumber = pdfplumber.open(io.BytesIO(data))
                page_lines = _pdfplumber_lines(plumber.pages[page_number], page_number)
            lines.extend(page_lines)
            if progress is not None:
                progress(page_number + 1, len(pages))
    except ImportRefused:
        raise
    except Exception as error:
        raise ImportRefused("The PDF could not be read; it may be damaged.") from error
    finally:
        if plumber is not None:
            plumber.close()
    if not lines:
        return []
    text_lines = [line for line in lines if "table" not in line]
    if not text_lines:
        return [Block(kind="table", rows=line["table"]) for line in lines]
    body_size = _most_common([round(line["size"], 1) for line in text_lines])
    left = min(line["x0"] for line in text_lines)
    blocks: list[Block] = []
    current: dict | None = None
    previous = None
    for line in lines:
        if "table" in line:
            if current is not None:
                blocks.append(_pdf_block(current, left, body_size))
                current = None
            blocks.append(Block(kind="table", rows=line["table"]))
            previous = line
            continue
        heading = line["size"] > body_size * 1.12
        text = line["text"].strip()
        bullet = re.match(r"^[•·▪◦‣\-–]\s*(.*)$", text)
        new_paragraph = (
            current is None
            or previous is None
            or previous["page"] != line["page"]
            or line["top"] - previous["bottom"] > 0.45 * (previous["bottom"] - previous["top"])
            or heading != current["heading"]
            or bullet is not None
        )
        if (
            new_paragraph
            and current is not None
            and previous["page"] != line["page"]
            and not heading
            and not bullet
            and not current["heading"]
            and not re.match(r"^(?:\(?\w{1,4}[.)]\s|\d)", text)
            and not current["text"].rstrip().endswith((".", ":", ";", "!", "?"))
        ):
            new_paragraph = False
        if new_paragraph:
            if current is not None:
                blocks.append(_pdf_block(current, left, body_size))
            current = {"text": text, "heading": heading, "x0": line["x0"], "size": line["size"], "bullet": bullet}
        else:
            current["text"] += " " + text
        previous = line
    if current is not None:
        blocks.append(_pdf_block(current, left, body_size))
    # List levels from the indents actually used: the n-th distinct indent is level n.
    indents = sorted({round(block.list_level / 3) for block in blocks if block.bullet})
    for block in blocks:
        if block.bullet:
            block.list_level = indents.index(round(block.list_level / 3))
    return blocks


def _pypdf_lines(page, page_number: int) -> list[dict] | None:
    """The page's lines from its text operations, each with its left edge, top, bottom and font
    size in points (as pdfplumber measures them); None when the page draws lines or rectangles."""
    ruled = False

    def operand(operator, args, cm, tm):
        nonlocal ruled
        if operator in (b"re", b"l"):
            ruled = True

    chunks = []

    def text(content, cm, tm, font, size):
        if content:
            chunks.append((content, _multiply(tm, cm), size))

    page.extract_text(visitor_operand_before=operand, visitor_text=text)
    if ruled:
        return None
    top_edge = float(page.mediabox.top)
    lines, current = [], None

    def close():
        nonlocal current
        if current is not None and current["text"].strip():
            current["text"] = re.sub(r"\s+", " ", current["text"]).strip()
            lines.append(current)
        current = None

    for content, matrix, size in chunks:
        scale = math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2])) or 1.0
        points = size * scale
        y = matrix[5]
        if current is not None and abs(current["baseline"] - y) > 0.5 * points and content.strip():
            close()
        for index, part in enumerate(content.split("\n")):
            if index:
                close()
            if not part.strip():
                if current is not None:
                    current["text"] += part
                continue
            if current is None:
                current = {
                    "page": page_number,
                    "text": part,
                    "x0": matrix[4] + (len(part) - len(part.lstrip())) * points * 0.5,
                    "baseline": y,
                    "top": top_edge - y - 0.76 * points,
                    "bottom": top_edge - y + 0.24 * points,
                    "size": points,
                }
            else:
                current["text"] += part
    close()
    # In reading order by position: list markers, for one, are often drawn after the page's text.
    lines.sort(key=lambda line: (round(line["top"]), line["x0"]))
    merged: list[dict] = []
    for line in lines:
        last = merged[-1] if merged else None
        if last is not None and abs(last["baseline"] - line["baseline"]) < 0.3 * line["size"]:
            last["text"] = f"{last['text']} {line['text']}"
            if len(last["text"]) < 3:  # a marker alone takes the size of the text it marks
                last["size"] = line["size"]
            continue
        merged.append(line)
    for line in merged:
        del line["baseline"]
    return merged


def _multiply(first, second):
    """The product of two PDF transformation matrices [a b c d e f]."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = second
    return [
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    ]


def _pdfplumber_lines(page, page_number: int) -> list[dict]:
    """The page's lines by pdfplumber's layout analysis, a ruled table's cells as one table line."""
    lines = []
    ruled = page.edges if (page.rects or page.lines) else []
    tables = [(table.bbox, table.extract()) for table in page.find_tables()] if ruled else []
    placed = set()
    for line in page.extract_text_lines(layout=False, strip=True, return_chars=True):
        sizes = [char["size"] for char in line["chars"] if char["text"].strip()]
        if not sizes:
            continue
        inside = next(
            (i for i, (box, _) in enumerate(tables) if box[1] - 1 <= line["top"] and line["bottom"] <= box[3] + 1),
            None,
        )
        if inside is not None:
            # A ruled table: its cells are read as a table, once, where it starts.
            if inside not in placed:
                placed.add(inside)
                rows = [[(cell or "").replace("\n", " ").strip() for cell in row] for row in tables[inside][1]]
                lines.append({"page": page_number, "table": rows, "top": line["top"], "bottom": line["bottom"]})
            continue
        lines.append(
            {
                "page": page_number,
                "text": line["text"],
                "x0": line["x0"],
                "top": line["top"],
                "bottom": line["bottom"],
                "size": sorted(sizes)[len(sizes) // 2],
            }
        )
    return lines


def _pdf_block(current: dict, left: float, body_size: float) -> Block:
    if current["heading"]:
        ratio = current["size"] / body_size
        level = 0 if ratio > 1.7 else 1 if ratio > 1.3 else 2
        return Block(kind="paragraph", text=current["text"], heading_level=level)
    if current["bullet"]:
        text = re.sub(r"^[•·▪◦‣\-–]\s*", "", current["text"])
        # The indent in points for now; turned into a level once all indents are known.
        return Block(kind="paragraph", text=text, list_level=round(current["x0"] - left), bullet=True)
    return Block(kind="paragraph", text=current["text"])


def _most_common(values):
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return max(counts, key=counts.get)
