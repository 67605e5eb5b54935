"""Time the document importer: python benchmarks/bench_import.py [--repeat 3]

For each seed protocol beside the repository (../shared/seeds), prints the time to read and parse it
as text, as a Word document and as a PDF built from the same text; then the same for a generated
document of about 60 pages (and 20 pages as .docx, the issue's target: under 2 s). Times are the
fastest of --repeat runs. Reading needs no database; nothing is written.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def fastest(function, repeat):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def generated_text(sections: int) -> str:
    """A protocol in the seeds' shape: numbered sections, dotted clauses, lettered sub-clauses and bullets."""
    lines = ["Partnership protocol between the Health and Wellbeing Board and the Safeguarding Children Board", ""]
    sentence = (
        "The board will consider the annual report, agree its priorities for the coming year and share the "
        "minutes of each meeting with the partners named in this protocol within four weeks."
    )
    for s in range(1, sections + 1):
        lines += [f"{s}. Arrangements for part {s}", ""]
        for c in range(1, 7):
            lines.append(f"{s}.{c} {sentence}")
            if c % 3 == 0:
                lines += [f" - {letter}) {sentence}" for letter in "abc"]
                lines += [f"  - {sentence}" for _ in range(2)]
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from pypdf import PdfReader

    from protocols.importing import parse_document
    from tests.import_support import build_docx, build_pdf, seed_files

    print(f"{'document':<28}{'format':<8}{'pages':>6}{'clauses':>9}{'parse s':>10}")
    documents = [(path.name[:12], path.read_bytes()) for path in seed_files()]
    if not documents:
        print("(the seeds are not beside the repository; timing the generated documents only)")
    documents += [
        ("generated, 20 pages", generated_text(18).encode()),
        ("generated, 60 pages", generated_text(55).encode()),
    ]
    import io

    for name, text in documents:
        parsed = parse_document(text, "doc.txt")
        for fmt, data in (("txt", text), ("docx", build_docx(parsed)), ("pdf", build_pdf(parsed))):
            seconds, doc = fastest(lambda data=data, fmt=fmt: parse_document(data, f"doc.{fmt}"), args.repeat)
            pages = len(PdfReader(io.BytesIO(data)).pages) if fmt == "pdf" else ""
            print(f"{name:<28}{fmt:<8}{pages!s:>6}{doc.clause_count:>9}{seconds:>10.3f}")


if __name__ == "__main__":
    main()
