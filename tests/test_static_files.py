"""Every file under static/ is something a page, the PDF or another static file loads; nothing is shipped unused."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
# Where a static file can be named: templates, the apps' code (the PDF's stylesheet), other static files.
READERS = ["templates", "core", "boards", "protocols", "accountability", "config", "static"]


def referenced(name, skip):
    for folder in READERS:
        for path in (ROOT / folder).rglob("*"):
            if (
                path.suffix in {".html", ".py", ".css", ".js"}
                and path != skip
                and name in path.read_text(errors="ignore")
            ):
                return True
    return False


def test_every_static_file_is_loaded_by_something():
    unused = [
        str(path.relative_to(STATIC))
        for path in sorted(STATIC.rglob("*"))
        if path.is_file() and not referenced(str(path.relative_to(STATIC)), skip=path)
    ]
    assert unused == []
