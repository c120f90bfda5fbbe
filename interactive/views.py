"""Sandboxed H5P playback: the player page, its token-scoped files and the xAPI endpoint.

The embed is `<iframe sandbox="allow-scripts">` without allow-same-origin, so the player runs in an
opaque origin: it cannot read the platform's DOM, cookies or CSRF token, and its requests carry no
cookies. Every URL below is authorised by the signed playback token alone.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from .services import (
    PLAY_SESSION_MAX_AGE,
    PLAYBACK_TOKEN_MAX_AGE,
    XAPI_MAX_BODY_BYTES,
    PlaybackTokenInvalid,
    XAPIStatementInvalid,
    h5p_content_open,
    playback_claims_read,
    playback_grant_read,
    xapi_statement_record,
)

PLAYER_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # H5P sets inline styles on its elements.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
    ]
)
# Files of a package are data for the player, never documents of their own.
CONTENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
ERROR_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def _token_refused(*, json: bool = False) -> HttpResponse:
    message = _("Linket til aktiviteten er udløbet eller ugyldigt. Genindlæs siden for at prøve igen.")
    if json:
        response = JsonResponse({"error": message}, status=403)
    else:
        title = _("Adgang nægtet")  # outside the f-string, so makemessages finds it
        response = HttpResponse(
            f'<!DOCTYPE html><html lang="da"><meta charset="utf-8"><title>{title}</title>'
            f"<p>{message}</p></html>",
            status=403,
        )
        response["Content-Security-Policy"] = ERROR_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@never_cache
@require_GET
def player(request, token: str):
    try:
        grant = playback_grant_read(token=token, at=timezone.now(), max_age=PLAYBACK_TOKEN_MAX_AGE)
    except PlaybackTokenInvalid:
        return _token_refused()
    # The frame's own navigation still carries the parent's cookies: a token that names somebody else
    # than the signed-in user was passed on and is refused.
    if request.user.is_authenticated and request.user.pk != grant.user.pk:
        return _token_refused()
    play_url = reverse("interactive:play", kwargs={"token": token})
    html = render_to_string(
        "interactive/player.html",
        {
            "activity": grant.activity,
            "content_url": f"{play_url}content",
            "xapi_url": reverse("interactive:xapi", kwargs={"token": token}),
            "frame_js": static("h5p-standalone/frame.bundle.js"),
            "frame_css": static("h5p-standalone/styles/h5p.css"),
        },
    )
    response = HttpResponse(html)
    response["Content-Security-Policy"] = PLAYER_CSP
    # This page alone may be framed, and only by the platform itself (everything else stays DENY).
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "HEAD"])
def content(request, token: str, path: str):
    try:
        grant = playback_grant_read(token=token, at=timezone.now(), max_age=PLAY_SESSION_MAX_AGE)
    except PlaybackTokenInvalid:
        return _token_refused(json=True)
    opened = h5p_content_open(activity=grant.activity, path=path)
    if opened is None:
        response = HttpResponse(_("Filen findes ikke."), status=404, content_type="text/plain; charset=utf-8")
    else:
        handle, content_type = opened
        response = FileResponse(handle, content_type=content_type)
        response["Cache-Control"] = "private, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CONTENT_CSP
    # The player's opaque origin fetches these files without credentials; the token is the authorisation.
    response["Access-Control-Allow-Origin"] = "*"
    return response


# csrf_exempt: this endpoint is authenticated by the signed token in its URL, never by cookies (the
# sandboxed player sends none), and the player's opaque origin cannot read the parent's CSRF token.
# A forged cross-site request without the token gets 403; one with it can only report for its own grant.
# request.user is never read here (so the session is never loaded, even if a cookie came along): the
# learner is the one the token names. The token's signature (SECRET_KEY, a salt of its own) and age
# (PLAY_SESSION_MAX_AGE) are checked without the database; that the activity is still READY and the
# learner still active is checked by the INSERT itself (xapi_statement_record).
@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def xapi(request, token: str):
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "POST"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "600"
        return response
    now = timezone.now()
    try:
        claims = playback_claims_read(token=token, at=now, max_age=PLAY_SESSION_MAX_AGE)
    except PlaybackTokenInvalid:
        return _token_refused(json=True)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    body = b"" if declared > XAPI_MAX_BODY_BYTES else request.read(XAPI_MAX_BODY_BYTES + 1)
    if declared > XAPI_MAX_BODY_BYTES or len(body) > XAPI_MAX_BODY_BYTES:
        response = JsonResponse(
            {
                "error": _("Udsagnet er for stort (højst {limit} KB).").format(
                    limit=XAPI_MAX_BODY_BYTES // 1024
                )
            },
            status=413,
        )
    else:
        try:
            result = xapi_statement_record(claims=claims, body=body, at=now)
        except PlaybackTokenInvalid:
            return _token_refused(json=True)
        except XAPIStatementInvalid as invalid:
            response = JsonResponse({"error": invalid.message}, status=400)
        else:
            response = JsonResponse(
                {"recorded": result.created, "lesson_completed": result.lesson_completed},
                status=201 if result.created else 200,
            )
    response["Access-Control-Allow-Origin"] = "*"
    return response
