from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from congress import views
from congress.letters import urls as letter_urls

congress_patterns = ([
    path("go/", views.go, name="go"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notification_read, name="notifications_read_all"),
    path("notifications/<id:pk>/read/", views.notification_read, name="notification_read"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/overdue/", views.overdue_list, name="overdue"),
    path("admin/search/", views.search, name="search"),
    *letter_urls.file_patterns,
], "congress")

account_patterns = ([
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name="registration/password_change.html", success_url="/accounts/password/done/"),
        name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="registration/password_changed.html"), name="password_change_done"),
    path("second-factor/", views.second_factor, name="second_factor"),
], "accounts")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include(congress_patterns)),
    path("accounts/", include(account_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portal/", include("deputies.urls")),
    path("unit/opinions/", include("stations.unit_urls")),
    path("unit/organ/", include("stations.unit_organ_urls")),
    path("unit/rectifications/", include("supervision.unit_urls")),
    path("unit/work-reports/", include("supervision.unit_urls_reports")),
    path("unit/appraisals/", include("supervision.unit_appraisal_urls")),
    path("unit/meetings/", include("supervision.unit_urls_meetings")),
    path("unit/livelihood/", include("supervision.unit_livelihood_urls")),
    path("unit/ratings/", include("supervision.unit_rating_urls")),
    path("unit/letters/", include(letter_urls.unit_patterns)),
    path("unit/", include("proposals.unit_urls")),
    path("", include("proposals.urls")),
    path("", include("stations.urls")),
    path("", include("supervision.urls")),
    path("admin/", admin.site.urls),
]
# No route serves MEDIA_ROOT, not even with DEBUG=1: every stored file goes through a view that checks permission
# (congress.lib.uploads.serve).
