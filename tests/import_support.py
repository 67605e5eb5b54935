"""Building .docx and .pdf copies of a document at test time, from the structure its text was read
into: real heading and list styles in Word, real headings, lists and ruled tables in the PDF."""

import html
import io
import re
from pathlib import Path

from django.conf import settings

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
SEEDS_ABSENT = f"the seed protocols are not beside the repository ({SEEDS} is absent)"

_DROPPED = re.compile(r"[\s\-*•·>▶▪◦‣–:.]")


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def normalised(text: str) -> str:
    """Text with whitespace, list glyphs and the punctuation around numbers taken out."""
    return _DROPPED.sub("", text)


def written_text(doc) -> str:
    """Everything the parse kept, in reading order: title lines, section numbers and headings,
    clause numbers and texts, table cells."""
    parts = list(doc.title_lines) if doc.title_from_body else []

    def walk(clauses):
        for clause in clauses:
            if clause.kind == "table":
                parts.extend(cell for row in clause.rows for cell in row)
            else:
                parts.extend([clause.number, clause.text])
            walk(clause.children)

    for section in doc.sections:
        parts.extend([section.number, section.heading])
        walk(section.clauses)
    return " ".join(parts)


def outline(doc) -> list[tuple]:
    """(depth, number, text) of every clause, and ('§', number, heading) for each section."""
    rows = []

    def walk(clauses, depth):
        for clause in clauses:
            if clause.kind == "table":
                rows.append((depth, "table", normalised(" ".join(c for row in clause.rows for c in row))))
            else:
                rows.append((depth, clause.number, normalised(clause.text)))
            walk(clause.children, depth + 1)

    for section in doc.sections:
        rows.append(("§", section.number, normalised(section.heading)))
        walk(section.clauses, 0)
    return rows


def build_docx(doc) -> bytes:
    import docx

    document = docx.Document()
    if doc.title_from_body:
        document.add_paragraph(doc.title, style="Title")

    def walk(clauses, bullet_depth):
        for clause in clauses:
            if clause.kind == "table":
                width = max(len(row) for row in clause.rows)
                table = document.add_table(rows=len(clause.rows), cols=width)
                for r, row in enumerate(clause.rows):
                    for c, cell in enumerate(row):
                        table.cell(r, c).text = cell
            elif clause.kind == "bullet":
                style = "List Bullet" if bullet_depth == 0 else f"List Bullet {min(bullet_depth + 1, 3)}"
                document.add_paragraph(clause.text, style=style)
            else:
                document.add_paragraph(f"{clause.number} {clause.text}".strip())
            walk(clause.children, bullet_depth + 1 if clause.kind == "bullet" else 0)

    for section in doc.sections:
        if section.number or section.heading:
            document.add_paragraph(f"{section.number} {section.heading}".strip(), style="Heading 1")
        walk(section.clauses, 0)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF_CSS = """
@page { size: A4; margin: 2cm; }
body { font-family: sans-serif; font-size: 10pt; line-height: 1.25; }
h1 { font-size: 20pt; margin: 0 0 12pt; }
h2 { font-size: 13.5pt; margin: 14pt 0 8pt; }
p, li { margin: 0 0 7pt; }
ul { margin: 0; padding-left: 18pt; }
table { border-collapse: collapse; margin: 0 0 8pt; }
td { border: 0.75pt solid black; padding: 2pt 4pt; }
"""


def build_html(doc) -> str:
    out = [f"<html><head><style>{PDF_CSS}</style></head><body>"]
    if doc.title_from_body:
        out.append(f"<h1>{html.escape(doc.title)}</h1>")

    def walk(clauses):
        index = 0
        while index < len(clauses):
            clause = clauses[index]
            if clause.kind == "bullet":
                out.append("<ul>")
                while index < len(clauses) and clauses[index].kind == "bullet":
                    out.append(f"<li>{html.escape(clauses[index].text)}")
                    walk(clauses[index].children)
                    out.append("</li>")
                    index += 1
                out.append("</ul>")
                continue
            if clause.kind == "table":
                rows = "".join(
                    "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in clause.rows
                )
                out.append(f"<table>{rows}</table>")
            else:
                out.append(f"<p>{html.escape(f'{clause.number} {clause.text}'.strip())}</p>")
            walk(clause.children)
            index += 1

    for section in doc.sections:
        if section.number or section.heading:
            out.append(f"<h2>{html.escape(f'{section.number} {section.heading}'.strip())}</h2>")
        walk(section.clauses)
    out.append("</body></html>")
    return "".join(out)


def build_pdf(doc) -> bytes:
    from weasyprint import HTML

    return HTML(string=build_html(doc)).write_pdf()
