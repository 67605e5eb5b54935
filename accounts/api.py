"""POST /api/auth/token/: a username and password for a named API token, behind the sign-in lockout."""

from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .lockout import lockout_response

DEFAULT_NAME = "API"


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(
        max_length=100,
        required=False,
        default=DEFAULT_NAME,
        help_text="What the token is for. Asking again with the same name revokes that token and gives a new one.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once: it is stored hashed.")
    name = serializers.CharField()
    created_at = serializers.DateTimeField()


class WrongCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The username or password is not right, or the account is not active."
    default_code = "invalid_credentials"


class TokenView(APIView):
    """A new API token for the account whose username and password are sent."""

    authentication_classes = []  # the credentials are in the body; a stale token header must not get in the way
    permission_classes = [AllowAny]
    error_descriptions = {
        "400": "A field is missing (`fields` names it), or the username and password do not match an active "
        "account (`invalid_credentials`).",
        "429": "Too many wrong passwords for this account from this address (`locked_out`): every attempt "
        "is refused, even with the right password, until the lock ends (`Retry-After`, in seconds).",
    }

    @extend_schema(
        summary="Trade a username and password for an API token",
        tags=["authentication"],
        request=CredentialsSerializer,
        responses={201: TokenSerializer},
        auth=[],
    )
    def post(self, request):
        body = CredentialsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        django_request = request._request  # django-axes counts failures on the request it sees
        user = authenticate(
            django_request, username=body.validated_data["username"], password=body.validated_data["password"]
        )
        if getattr(django_request, "axes_locked_out", False):
            return lockout_response(django_request)
        if user is None or not user.is_active:
            raise WrongCredentials()
        # A token trade is a sign-in: the lockout's count starts again and the last sign-in is recorded.
        user_logged_in.send(sender=type(user), request=django_request, user=user)
        token, key = services.token_create(user=user, name=body.validated_data["name"], replace=True)
        data = TokenSerializer({"token": key, "name": token.name, "created_at": token.created_at}).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})
