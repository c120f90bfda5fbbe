import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning.settings.dev")

application = get_wsgi_application()

# Load the URL configuration now (every app's views and blocks), then move everything loaded so far out of
# the garbage collector's reach: it lives as long as the process. Without this, each full collection walks
# the whole of Django, Wagtail and the apps again, and a request that happens to trigger one took ~200 ms
# instead of ~10 (docs/benchmarks.md: the p95/p99 of the pages that build many objects). It also keeps
# those pages of memory shared between the server's forked workers (no reference-count writes by the GC).
get_resolver().url_patterns  # noqa: B018 (imports the URLconf)
gc.collect()
gc.freeze()
