"""The pupils' poll, answered before the rest of the middleware when nothing changed.

A class of 30 pupils polls every 2 seconds while the teacher talks; 50 classes at once make that most of
the classroom's requests. When the pupil's screen already shows the current state, the answer is an empty
204 decided by one cache read: no session, user, CSRF, locale, messages or page-cache work is needed for
it, so it is answered right after Django's SecurityMiddleware (which still adds its headers). Everything
else, a changed state included, goes on to ``classroom.views.pupil_poll``, which decides the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase

from .services import session_poll_unchanged
from .views import pupil_response_headers, pupil_token

# classroom/pupil_urls.py's "poll" under /deltag/ (learning/urls.py), with or without a language prefix;
# tests/classroom/test_live_paths.py checks it against reverse() in every language.
POLL_PATH = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?deltag/s/(?P<public_id>[0-9a-f-]{36})/tilstand/$")


class PupilPollMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "GET":
            found = POLL_PATH.match(request.path_info)
            if found is not None and self._unchanged(request, found["public_id"]):
                return pupil_response_headers(HttpResponse(status=204))
        return self.get_response(request)

    @staticmethod
    def _unchanged(request: HttpRequest, public_id: str) -> bool:
        version = request.GET.get("v", "")
        # Only a participant's own screen (a valid signed cookie for this session) is answered here.
        return bool(version) and bool(pupil_token(request, public_id)) and session_poll_unchanged(
            public_id=public_id, version=version
        )
