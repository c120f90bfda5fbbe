from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

handler404 = "learning.views.page_not_found"
handler500 = "learning.views.server_error"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
]

# Danish is the default language and has no prefix; English lives under /en/.
# Each app owns its URLs; Wagtail's catch-all page serving comes last.
urlpatterns += i18n_patterns(
    path("konto/", include("allauth.urls")),
    path("overblik/", views.dashboard, name="dashboard"),
    path("kurser/", include("courses.urls")),
    path("h5p/", include("interactive.urls")),
    path("quiz/", include("quizzes.urls")),
    path("certificates/", include("certificates.urls")),
    path("klasse/", include("classroom.urls")),
    path("koordinator/", include("coverage.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
