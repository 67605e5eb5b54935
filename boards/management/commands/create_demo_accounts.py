from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from boards.models import Area, RoleAssignment

DEMO_PASSWORD = "demo-password"


class Command(BaseCommand):
    help = (
        "Create the demonstration accounts: 'admin' (registry administrator) and, for each area, "
        "'manager-<area>' (business manager) and 'member-<area>' (board member), all with the password "
        f"'{DEMO_PASSWORD}'. Safe to run again; passwords are reset to the demo password."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        with transaction.atomic():
            admin = self._user(User, "admin", is_staff=True, is_superuser=True)
            RoleAssignment.objects.get_or_create(
                user=admin, role=RoleAssignment.Role.ADMINISTRATOR, area=None, board=None
            )
            for area in Area.objects.order_by("slug"):
                for prefix, role in (
                    ("manager", RoleAssignment.Role.BUSINESS_MANAGER),
                    ("member", RoleAssignment.Role.BOARD_MEMBER),
                ):
                    user = self._user(User, f"{prefix}-{area.slug}")
                    RoleAssignment.objects.get_or_create(user=user, role=role, area=area, board=None)
                    self.stdout.write(f"  {user.username}")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts ready; password '{DEMO_PASSWORD}'."))

    def _user(self, User, username, **flags):
        user, _ = User.objects.get_or_create(username=username, defaults=flags)
        for name, value in flags.items():
            setattr(user, name, value)
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user
