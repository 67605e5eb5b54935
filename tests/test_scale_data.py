import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from accountability.models import Relation, ReportingObligation
from boards.models import Area, Board
from protocols.models import Protocol, ProtocolVersion, Section


@pytest.mark.django_db
def test_scale_generator_builds_areas_with_protocols_of_the_promised_shape():
    """Each generated area has its boards and 3-6 protocols; each version has 30-80 clauses and one agreed version."""
    call_command("generate_scale_data", areas=3, stdout=io.StringIO())

    assert Area.objects.filter(slug__startswith="scale-").count() == 3
    for area in Area.objects.all():
        assert 3 <= Protocol.objects.filter(area=area).count() <= 6
        assert Board.objects.filter(areas=area, kind="lscb").count() == 1
    for protocol in Protocol.objects.annotate(n=Count("versions")):
        assert protocol.n >= 2
        assert protocol.versions.filter(status="agreed").count() == 1
    for version in ProtocolVersion.objects.all():
        clauses = sum(section.clauses.count() for section in Section.objects.filter(version=version))
        assert 30 <= clauses <= 80
    assert ReportingObligation.objects.filter(recipients__isnull=True).count() == 0
    assert Relation.objects.exists()


@pytest.mark.django_db
def test_scale_generator_skips_areas_it_already_made():
    """Running the generator again adds only missing areas, so it can top up a database."""
    call_command("generate_scale_data", areas=2, stdout=io.StringIO())
    protocols = Protocol.objects.count()

    call_command("generate_scale_data", areas=3, stdout=io.StringIO())

    assert Area.objects.count() == 3
    assert Protocol.objects.count() > protocols


@pytest.mark.django_db
def test_scale_generator_gives_postgresql_statistics_of_what_it_loaded():
    """After a bulk load PostgreSQL plans from statistics, not guesses (it would read every clause to find one
    version's); SQLite has no planner statistics to refresh."""
    call_command("generate_scale_data", areas=1, stdout=io.StringIO())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'protocols_clause'")
            assert cursor.fetchone()[0] > 0
