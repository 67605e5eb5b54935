"""Someone added to one area's register, who holds no post yet, is that area's: other areas' keepers do not
see them in their people lists and cannot change them; once they hold a post, that post places them."""

import pytest
from django.test import Client
from django.urls import reverse

from accountability.register_forms import area_people
from boards import services
from boards.models import Person
from tests.api_support import client_for
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_a_person_added_in_one_register_is_listed_there_only(client, business_manager, outsider, area, other_area):
    client.force_login(business_manager)
    added = client.post(reverse("register:person_new", args=[area.slug]), {"name": "Dana Doctor"})
    assert added.status_code == 302
    dana = Person.objects.get(name="Dana Doctor")
    assert dana.added_in == area
    assert list(area_people(area)) == [dana] and list(area_people(other_area)) == []

    client = Client()  # a browser of its own: the manager's "Added" message is not the outsider's
    client.force_login(outsider)
    elsewhere = client.get(reverse("register:home", args=[other_area.slug])).content.decode()
    assert "Dana Doctor" not in elsewhere
    assert client.get(reverse("register:person_detail", args=[other_area.slug, dana.pk])).status_code == 404
    refused = client_for(outsider).patch(
        f"/api/people/{dana.pk}/", {"notes": "Mine now"}, format="json", HTTP_IF_MATCH="*"
    )
    assert refused.status_code == 403 and "another area's register" in str(refused.json())


def test_holding_a_post_places_them_and_people_from_before_stay_visible(business_manager, outsider, area, other_area):
    dana = services.person_create(user=business_manager, name="Dana Doctor")  # the one area the manager keeps
    older = Person.objects.create(name="Lee Before")  # added before areas were recorded
    assert dana.added_in == area
    post = PostFactory(area=other_area, title="Director of Public Health")
    services.holding_create(user=None, person=dana, post=post)

    assert dana in area_people(other_area)
    assert older in area_people(area) and older in area_people(other_area)


def test_no_one_adds_people_to_an_area_they_do_not_keep(business_manager, area, other_area):
    api = client_for(business_manager)
    refused = api.post("/api/people/", {"name": "Sam Smith", "added_in": other_area.slug}, format="json")
    placed = api.post("/api/people/", {"name": "Sam Smith"}, format="json")

    assert refused.status_code == 403
    assert placed.status_code == 201 and placed.json()["added_in"] == area.slug
