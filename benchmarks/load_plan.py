"""What bench_load.py's simulated users ask for: the paths they read, taken from the database, and the
routes the business managers follow.

The locustfile reads the plan from a JSON file; this module imports neither locust (which patches the
standard library with gevent when imported) nor Django at import time, so tests can check the paths.
"""

import random

PASSWORD = "demo-password"  # create_demo_accounts' password; the second manager is given it too
MANAGER_AREA = "knowsley"
# Two business managers of the same area, so that they edit the same draft and can collide.
MANAGERS = ["manager-knowsley", "manager-knowsley-2"]

# The business managers' pages; {slug} is the protocol they keep, {key} a clause key, {party} a party's id.
ROUTES = {
    "sign_in": "/accounts/login/",
    "editor": "/protocols/{slug}/edit/",
    "start_review": "/protocols/{slug}/edit/start-review/",
    "clause_edit": "/protocols/{slug}/edit/clauses/{key}/edit/",
    "send_for_approval": "/protocols/{slug}/edit/send/",
    "approvals": "/protocols/{slug}/edit/approvals/",
    "approval_add": "/protocols/{slug}/edit/approvals/{party}/",
    "history": "/protocols/{slug}/history/",
    "version": "/protocols/{slug}/versions/{number}/",
    "version_pdf": "/protocols/{slug}/versions/{number}/pdf/",
    "api_open_versions": "/api/versions/?protocol={slug}&status=draft&status=awaiting_approval",
    "api_clauses": "/api/clauses/?version={version}",
    "api_clause": "/api/clauses/{clause}/",
}


def build_plan(*, pdf_versions=(), sample=40, seed=16):
    """The paths each kind of simulated user reads, from what the database holds now.

    `pdf_versions` are agreed versions whose sealed PDF is already stored (readers download only those:
    a PDF is drawn when a version is agreed, not on a reader's request). `sample` bounds each list.
    """
    from django.urls import reverse

    from boards.models import Area, Board, RoleAssignment
    from protocols.models import Protocol, ProtocolVersion

    rng = random.Random(seed)

    def some(items, n=sample):
        items = list(items)
        return items if len(items) <= n else rng.sample(items, n)

    areas = list(Area.objects.order_by("slug").values_list("slug", flat=True))
    boards = list(Board.objects.order_by("slug").values_list("slug", flat=True))
    agreed = list(ProtocolVersion.objects.agreed().select_related("protocol").order_by("pk"))
    protocols = list(Protocol.objects.order_by("pk"))
    obligation_areas = some(areas, 5)
    area_pages = max(1, len(areas) // 10)
    readers = {
        "home": ["/", *(f"/?page={n}" for n in range(2, min(area_pages, 8) + 1))],
        "area page": [reverse("accountability:area_detail", args=[slug]) for slug in some(areas)],
        "protocol list": [
            reverse("protocols:protocol_list"),
            reverse("protocols:protocol_list") + "?page=2",
            *(reverse("protocols:area_protocol_list", args=[slug]) for slug in some(areas, 10)),
        ],
        "agreed version page": [version.get_absolute_url() for version in some(agreed)],
        "print page": [reverse_version("protocols:version_print", version) for version in some(agreed, 10)],
        "area map": [reverse("accountability:area_map", args=[slug]) for slug in some(areas, 20)],
        "calendar": [
            *(reverse("accountability:area_calendar", args=[slug]) for slug in some(areas, 10)),
            *(reverse("accountability:board_calendar", args=[slug]) for slug in some(boards, 10)),
        ],
        "iCal feed": [
            *(reverse("accountability:area_calendar_ics", args=[slug]) for slug in some(areas, 10)),
            *(reverse("accountability:board_calendar_ics", args=[slug]) for slug in some(boards, 10)),
        ],
        "agreed version PDF": [reverse_version("protocols:version_pdf", version) for version in pdf_versions],
        "API read": [
            reverse("api:protocol-list"),
            reverse("api:area-list"),
            *(reverse("api:protocol-detail", args=[protocol.pk]) for protocol in some(protocols, 10)),
            *(reverse("api:version-detail", args=[version.pk]) for version in some(agreed, 10)),
            *(f"{reverse('api:board-list')}?area={slug}" for slug in some(areas, 5)),
            *(f"{reverse('api:obligation-list')}?area={slug}" for slug in obligation_areas),
        ],
    }
    members = []
    roles = RoleAssignment.objects.filter(role=RoleAssignment.Role.BOARD_MEMBER, area__isnull=False)
    for role in roles.select_related("user", "area").order_by("user__username"):
        area = role.area
        area_boards = list(Board.objects.filter(areas=area).order_by("slug").values_list("slug", flat=True))
        versions = ProtocolVersion.objects.filter(protocol__area=area).exclude(status__in=ProtocolVersion.OPEN)
        members.append(
            {
                "username": role.user.username,
                "paths": {
                    "home": ["/"],
                    "board page": [reverse("accountability:board_detail", args=[slug]) for slug in area_boards],
                    "calendar": [
                        reverse("accountability:area_calendar", args=[area.slug]),
                        *(reverse("accountability:board_calendar", args=[slug]) for slug in area_boards),
                    ],
                    "area map": [reverse("accountability:area_map", args=[area.slug])],
                    "version page": [version.get_absolute_url() for version in versions.select_related("protocol")],
                },
            }
        )
    members = [member for member in members if member["paths"]["version page"] and member["paths"]["board page"]]
    manager_protocol = Protocol.objects.filter(area__slug=MANAGER_AREA).order_by("pk").first()
    return {
        "password": PASSWORD,
        "readers": readers,
        "members": members,
        "managers": [{"username": name, "protocol": manager_protocol.slug} for name in MANAGERS],
    }


def reverse_version(name, version):
    from django.urls import reverse

    return reverse(name, kwargs={"slug": version.protocol.slug, "number": version.number})
