"""Reading protocol documents (Word, OpenDocument, PDF, text) into a structured draft.

This package knows nothing of the database: `parse_document(data, filename)` gives a
`ParsedDocument` or raises `ImportRefused` with a message for the user.
"""

from .dates import PartialDate, find_date
from .readers import MAX_UPLOAD_BYTES, Block, ImportRefused, detect_format, read_document
from .structure import Clause, ParsedDocument, Section, parse_blocks, parse_document

__all__ = [
    "MAX_UPLOAD_BYTES",
    "Block",
    "Clause",
    "ImportRefused",
    "ParsedDocument",
    "PartialDate",
    "Section",
    "detect_format",
    "find_date",
    "parse_blocks",
    "parse_document",
    "read_document",
]
