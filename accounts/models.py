"""API tokens that people make for themselves: several per account, each named, stored only as a hash."""

import hashlib
import secrets

from django.conf import settings
from django.db import models

# A key is shown once, when made. The prefix tells the registry's keys apart from other secrets
# (and from the single tokens an administrator issues in the admin), and the start of each key is
# kept in clear so its owner can tell their tokens apart in the list.
KEY_PREFIX = "reg_"
SHOWN_CHARACTERS = 8


def digest_of(key: str) -> str:
    """The stored form of a key. A key is 32 random bytes, so a fast hash is enough: nothing to guess."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, so its owner can revoke the right one.")
    start = models.CharField(max_length=SHOWN_CHARACTERS + len(KEY_PREFIX), editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="api_token_name_unique_per_user")]

    def __str__(self):
        return f"{self.name} ({self.user})"

    @property
    def shown(self):
        """How the token is shown after it was made: its first characters, then an ellipsis."""
        return f"{self.start}…"
