"""The five real protocols are numbered as written: renumbering any of them would change nothing."""

from protocols.models import ProtocolVersion
from protocols.services import renumber_plan


def test_renumbering_a_protocol_numbered_as_written_changes_nothing(demo_data, db):
    versions = list(ProtocolVersion.objects.select_related("protocol"))
    assert len(versions) >= 5
    for version in versions:
        plan = renumber_plan(version)
        assert len(plan.rows) > 20, version.protocol.slug
        assert [(row.old, row.new) for row in plan.changed] == [], version.protocol.slug
