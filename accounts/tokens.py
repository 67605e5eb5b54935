"""The one-time link in an invitation: Django's password-reset token, salted apart and valid for longer.

Like a reset link it stops working as soon as the password is set (the token hashes the stored password
and the last sign-in), but an invitation may wait in an inbox for days rather than hours.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        # Django's check, with INVITATION_TIMEOUT in place of PASSWORD_RESET_TIMEOUT.
        if not (user and token):
            return False
        try:
            timestamp_b36, _ = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        signed = any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )
        return signed and self._num_seconds(self._now()) - timestamp <= settings.INVITATION_TIMEOUT


invitation_token_generator = InvitationTokenGenerator()
