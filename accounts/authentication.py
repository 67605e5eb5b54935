"""`Authorization: Token <key>` for both kinds of token the registry accepts.

A named token (made on "Your account" or by POST /api/auth/token/) is looked up by its hash; any other
key is tried as the single token an administrator issues in the admin (DRF's authtoken), so both keep
working side by side.
"""

import datetime

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import KEY_PREFIX, ApiToken, digest_of

# Marking a token as used is a write; once a few minutes is enough to tell a live token from a forgotten one.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        if not key.startswith(KEY_PREFIX):
            return super().authenticate_credentials(key)
        token = ApiToken.objects.select_related("user").filter(digest=digest_of(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
