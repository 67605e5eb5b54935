from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("areas/new/", views.area_new, name="area_new"),
    path("roles/<int:pk>/", views.role_change, name="role_change"),
    path("roles/<int:pk>/remove/", views.role_remove, name="role_remove"),
    path("roles/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
]
