from django.urls import path

from . import security_views, views, webauthn_views

app_name = "accounts"

urlpatterns = [
    path("login/verify/", views.verify, name="verify"),
    path("account/security/", security_views.security, name="security"),
    path("account/security/totp/", security_views.totp_enrol, name="totp_enrol"),
    path("account/security/totp/remove/", security_views.totp_remove, name="totp_remove"),
    path("account/security/recovery-codes/", security_views.recovery_regenerate, name="recovery_regenerate"),
    path(
        "account/security/recovery-codes/new/", security_views.recovery_codes_new, name="recovery_codes_new"
    ),
    path("account/security/keys/options/", webauthn_views.register_options, name="webauthn_register_options"),
    path("account/security/keys/", webauthn_views.register, name="webauthn_register"),
    path("account/security/keys/<int:pk>/remove/", webauthn_views.remove, name="security_key_remove"),
    path("login/verify/key/options/", webauthn_views.sign_in_options, name="webauthn_sign_in_options"),
    path("login/verify/key/", webauthn_views.sign_in, name="webauthn_sign_in"),
    path("account/security/sign-in-again/", security_views.sign_in_again, name="sign_in_again"),
    path(
        "account/security/sign-out-everywhere/",
        security_views.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
]

# Named without a namespace, as LOGIN_URL and the templates have always used them. The admin's
# login page is replaced by ours, which runs the second step and the lock-out.
sign_in_urls = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("admin/login/", views.admin_login, name="admin_login"),
]
