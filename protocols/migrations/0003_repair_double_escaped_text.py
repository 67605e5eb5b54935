"""Repair text an older sanitiser stored escaped twice ("Health &amp;amp; Wellbeing").

The editor sends HTML, in which a typed "&" is already "&amp;"; when that HTML had no tags, the old
sanitiser took it for plain text and escaped it again. This migration rewrites such rows once-escaped:
clause text and preambles ("&amp;amp;" -> "&amp;", "&amp;lt;" -> "&lt;") and any plain-text field
that holds an entity ("Health &amp; Wellbeing" -> "Health & Wellbeing").

Only drafts (and the protocols' own descriptions) are rewritten. Agreed and superseded versions are
the signed record: their content fingerprint is taken over the stored text and printed on their
sealed PDFs, and the database refuses changes to their rows, so they are left exactly as signed and
shown repaired instead (protocols.sanitize.rich_text_html).

The functions are copied here, not imported, so the migration keeps doing what it did when written.
"""

import html
import re
from html.entities import html5

from django.db import migrations

LOCKED_STATUSES = ("agreed", "superseded")
_NAMES = sorted((name[:-1] for name in html5 if name.endswith(";")), key=len, reverse=True)
ESCAPED_REFERENCE = re.compile(r"&amp;(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|(?:" + "|".join(_NAMES) + r");)")
# The references html.escape and browsers write; a plain-text field holding one was escaped by mistake.
PLAIN_REFERENCE = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#39|#x27|#34|#x22);")


def once_escaped(value):
    while "&amp;" in value:
        repaired = ESCAPED_REFERENCE.sub(r"&\1", value)
        if repaired == value:
            break
        value = repaired
    return value


def unescaped(value):
    while PLAIN_REFERENCE.search(value):
        value = html.unescape(value)
    return value


def _repair(queryset, field, repair, marker):
    rows = []
    for obj in queryset.filter(**{f"{field}__contains": marker}).only("pk", field):
        value = repair(getattr(obj, field))
        if value != getattr(obj, field):
            setattr(obj, field, value)
            rows.append(obj)
    if rows:
        queryset.model.objects.bulk_update(rows, [field], batch_size=500)
    return len(rows)


def repair(apps, schema_editor):
    Protocol = apps.get_model("protocols", "Protocol")
    ProtocolVersion = apps.get_model("protocols", "ProtocolVersion")
    Section = apps.get_model("protocols", "Section")
    Clause = apps.get_model("protocols", "Clause")
    GlossaryEntry = apps.get_model("protocols", "GlossaryEntry")

    open_versions = ProtocolVersion.objects.exclude(status__in=LOCKED_STATUSES)
    _repair(Clause.objects.filter(section__version__in=open_versions), "text", once_escaped, "&amp;")
    _repair(open_versions, "introduction", once_escaped, "&amp;")
    for field in ("title", "short_title", "summary", "review_note"):
        _repair(Protocol.objects.all(), field, unescaped, "&")
    for field in ("title", "label", "change_summary"):
        _repair(open_versions, field, unescaped, "&")
    for field in ("heading", "part"):
        _repair(Section.objects.filter(version__in=open_versions), field, unescaped, "&")
    for field in ("term", "meaning"):
        _repair(GlossaryEntry.objects.filter(version__in=open_versions), field, unescaped, "&")


class Migration(migrations.Migration):
    dependencies = [("protocols", "0002_editing_numbering_and_review_reminders")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
