import io

import pytest
from django.apps import apps
from django.core.management import call_command

APPS = ("boards", "protocols", "accountability")


def snapshot():
    """Every row of the registry's tables, all columns included (timestamps too)."""
    rows = {}
    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            tables = [model] + [f.remote_field.through for f in model._meta.local_many_to_many]
            for table in tables:
                names = [f.attname for f in table._meta.concrete_fields]
                rows[table._meta.label] = list(table.objects.order_by("pk").values_list(*names))
    return rows


# Every test starts from the demo as the first run of load_demo wrote it, once for the module (each test's writes,
# the second run's included, are rolled back when it ends).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def test_loading_the_demo_twice_changes_nothing():
    """The second run of load_demo finds every record and writes nothing: same rows, same ids, same timestamps."""
    first = snapshot()
    call_command("load_demo", stdout=io.StringIO())

    assert snapshot() == first
    assert sum(len(rows) for rows in first.values()) > 0


def test_demo_accounts_exist_for_every_area_with_the_demo_password():
    """create_demo_accounts makes admin plus a manager and a member per area, each with the right role."""
    from django.contrib.auth import authenticate

    from boards.models import Area, RoleAssignment

    call_command("create_demo_accounts", stdout=io.StringIO())

    assert authenticate(username="admin", password="demo-password").is_superuser
    for area in Area.objects.all():
        manager = authenticate(username=f"manager-{area.slug}", password="demo-password")
        member = authenticate(username=f"member-{area.slug}", password="demo-password")
        assert RoleAssignment.objects.filter(user=manager, role="business_manager", area=area).exists()
        assert RoleAssignment.objects.filter(user=member, role="board_member", area=area).exists()


def test_reloading_keeps_an_agreed_version_whose_demo_wording_changed_and_loads_the_rest():
    """`make run` loads the demo on every start: if the demo's wording of an agreed version changed since the
    database was filled, the agreed record stays as signed, the command says so, and the other protocols load."""
    from core.writes import unlocked
    from protocols.models import Clause, ProtocolVersion

    clause = Clause.objects.filter(
        section__version__status=ProtocolVersion.Status.AGREED, section__version__protocol__area__slug="knowsley"
    ).first()
    # Stands in for a stored copy loaded from older demo wording: only an unlocked write can change it now.
    with unlocked():
        Clause.objects.filter(pk=clause.pk).update(text="<p>Wording from an earlier release.</p>")

    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=out, stderr=err)

    assert Clause.objects.get(pk=clause.pk).text == "<p>Wording from an earlier release.</p>"
    assert "Kept Knowsley" in err.getvalue()
    assert "Loaded West Berkshire" in out.getvalue() and "delete db.sqlite3" in out.getvalue()


def test_reloading_keeps_an_agreed_version_that_still_holds_records_the_demo_no_longer_states():
    """A database filled by an older release may hold, in an agreed version, a record the demo has since dropped
    (an invented glossary entry, say). The signed record is not changed: it is kept and the command says so."""
    from protocols.models import GlossaryEntry, ProtocolVersion

    version = ProtocolVersion.objects.get(protocol__slug="west-berkshire-lscb-hwb-munro")
    GlossaryEntry.objects.create(version=version, term="SCR", meaning="Serious Case Review")

    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=out, stderr=err)

    assert version.glossary_entries.filter(term="SCR").exists()
    assert "Kept West Berkshire" in err.getvalue()
    assert "Loaded Knowsley" in out.getvalue()


def test_reloading_removes_from_an_unagreed_version_what_the_demo_no_longer_states():
    """A version still awaiting approval follows the demo exactly: records an older release invented go."""
    from accountability.models import Priority, Relation
    from protocols.models import GlossaryEntry, ProtocolVersion

    version = ProtocolVersion.objects.get(protocol__slug="westminster-hwb-tri-borough-lscb")
    assert version.status == ProtocolVersion.Status.AWAITING_APPROVAL
    clause = version.sections.first().clauses.first()
    GlossaryEntry.objects.create(version=version, term="CSE", meaning="Child sexual exploitation")
    Priority.objects.create(version=version, source_clause=clause, number="CSE", title="Child sexual exploitation")
    lscb, hwb = (version.parties.get(board__slug=slug).board for slug in ("tri-borough-lscb", "westminster-hwb"))
    Relation.objects.create(
        version=version, source_clause=clause, subject_board=lscb, kind=Relation.Kind.REPORTS_TO, object_board=hwb
    )

    out = io.StringIO()
    call_command("load_demo", stdout=out, stderr=io.StringIO())

    assert not version.glossary_entries.filter(term="CSE").exists()
    assert not Priority.objects.filter(version=version, number="CSE").exists()
    assert not Relation.objects.filter(version=version, kind=Relation.Kind.REPORTS_TO).exists()
    assert "Loaded Westminster" in out.getvalue()
