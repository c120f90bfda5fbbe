from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import security, views, views_guide, views_privacy

handler404 = "learning.views.page_not_found"
handler500 = "learning.views.server_error"

urlpatterns = [
    # Every login goes through allauth (rate limits, second factor), Django's and Wagtail's logins included.
    path("django-admin/login/", security.django_admin_login, name="django_admin_login"),
    path("django-admin/", admin.site.urls),
    path(
        "admin/login/",
        security.login_to_allauth,
        {"default": "wagtailadmin_home"},
        name="wagtailadmin_login_to_allauth",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/route/", views_guide.route_concern_api, name="route_concern_api"),
]
if "bench" in settings.INSTALLED_APPS:  # benchmark references, only with BENCH_REFERENCES=1 (make bench)
    urlpatterns.append(path("bench/", include("bench.urls")))

# Danish is the default language and has no prefix; English lives under /en/.
# Each app owns its URLs; Wagtail's catch-all page serving comes last.
urlpatterns += i18n_patterns(
    path("konto/mine-data/", views_privacy.my_data, name="my_data"),
    path("konto/", include("allauth.urls")),
    path("overblik/", views.dashboard, name="dashboard"),
    path("kurser/", include("courses.urls")),
    path("h5p/", include("interactive.urls")),
    path("quiz/", include("quizzes.urls")),
    path("certificates/", include("certificates.urls")),
    path("klasse/", include("classroom.urls")),
    path("deltag/", include("classroom.pupil_urls")),
    path("koordinator/", include("coverage.urls")),
    path("_util/login/", security.login_to_allauth, {"default": "/"}, name="wagtailcore_login_to_allauth"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
