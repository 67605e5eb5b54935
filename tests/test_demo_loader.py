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


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing():
    """The second run of load_demo finds every record and writes nothing: same rows, same ids, same timestamps."""
    call_command("load_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("load_demo", stdout=io.StringIO())

    assert snapshot() == first
    assert sum(len(rows) for rows in first.values()) > 0


@pytest.mark.django_db
def test_demo_accounts_exist_for_every_area_with_the_demo_password():
    """create_demo_accounts makes admin plus a manager and a member per area, each with the right role."""
    from django.contrib.auth import authenticate

    from boards.models import Area, RoleAssignment

    call_command("load_demo", stdout=io.StringIO())
    call_command("create_demo_accounts", stdout=io.StringIO())

    assert authenticate(username="admin", password="demo-password").is_superuser
    for area in Area.objects.all():
        manager = authenticate(username=f"manager-{area.slug}", password="demo-password")
        member = authenticate(username=f"member-{area.slug}", password="demo-password")
        assert RoleAssignment.objects.filter(user=manager, role="business_manager", area=area).exists()
        assert RoleAssignment.objects.filter(user=member, role="board_member", area=area).exists()
