"""Who may manage accounts: the registry's administrators. Everyone signed in keeps their own account."""

from boards.permissions import is_administrator


def can_manage_accounts(user):
    """Inviting people, changing and removing their roles, and seeing who has which role."""
    return is_administrator(user)
