from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from organisation.password_reset import PasswordResetForm

admin.site.site_header = "Casework QA administration"
admin.site.site_title = "Casework QA"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    # The reset e-mail goes through the outbox, so the answer takes the same path for any address.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("iqas/", include("assessments.urls")),
    path("dip-samples/", include("dipsampling.urls")),
    path("scrutiny/", include("scrutiny.urls")),
    path("reports/", include("reporting.urls")),
    path("", include("home.urls")),
    path("", include("organisation.urls")),
]
