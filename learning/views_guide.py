"""Thin views of the routing rules: the JSON endpoint and the concern guide page's serve().

Neither stores or logs anything about the situation described: no session writes, no rows, no log
lines with the facts. Both call ``learning.directory.concern_route``, like the ``route_concern`` command.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .directory import concern_route, directory_current
from .guide import (
    AGE_BY_BAND,
    ConcernGuideForm,
    age_note,
    decision_present,
    guide_vocabulary,
    municipality_open_at,
)
from .rules import ConcernInputError, DirectoryError

if TYPE_CHECKING:
    from .models import ConcernGuidePage

MAX_BODY_BYTES = 16 * 1024

DIRECTORY_ERROR = {
    "field": "directory",
    "message": "the municipality's directory lacks a contact this decision needs; ring 112 if life is in danger",
    "message_da": "Kommunens kontaktkatalog mangler en kontakt, som svaret kræver. Er nogen i fare, så ring 112.",
}


def _json(data: dict[str, Any], *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # The answer describes someone's situation: no cache anywhere may keep it.
    response["Cache-Control"] = "no-store"
    return response


def _input_error(field: str, message: str, message_da: str, *, status: int = 400) -> JsonResponse:
    return _json({"error": {"field": field, "message": message, "message_da": message_da}}, status=status)


# csrf_exempt is safe here only because the endpoint stores nothing and changes nothing: it is a pure
# function of the request body (like a GET with a body), so a forged cross-site request can do no harm
# and its answer is not readable cross-origin (no CORS headers). Keeping it exempt lets the page's
# script, other apps and tools call it with plain JSON.
@csrf_exempt
@require_POST
def route_concern_api(request: HttpRequest) -> HttpResponse:
    """POST the routing contract's input as JSON; get the decision (``Decision.to_dict()``)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        return _too_large()
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return _too_large()
    try:
        data = json.loads(body.decode("utf-8"))
        # JSON's \u escapes can carry lone surrogates (\ud800) that no UTF-8 answer can echo: not valid input.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError, ValueError, RecursionError):  # RecursionError: deep nesting
        return _input_error("input", "must be valid JSON (UTF-8)", "skal være gyldig JSON (UTF-8)")
    try:
        decision = concern_route(data=data, on=timezone.localdate())
    except ConcernInputError as error:
        return _input_error(error.field, error.message, error.message_da)
    except DirectoryError:
        return _json({"error": DIRECTORY_ERROR}, status=503)
    return _json(decision.to_dict())


def _too_large() -> JsonResponse:
    return _input_error(
        "input",
        f"the request body must be at most {MAX_BODY_BYTES} bytes",
        f"forespørgslen må højst fylde {MAX_BODY_BYTES} bytes",
        status=413,
    )


def concern_guide_serve(*, page: ConcernGuidePage, request: HttpRequest) -> HttpResponse:
    """GET: the questions. POST (no JavaScript): the questions again, with the decision above them."""
    now = timezone.localtime()
    language = get_language() or "da"
    directory = directory_current()
    user = getattr(request, "user", None)
    own = user.municipality.slug if user is not None and user.is_authenticated and user.municipality_id else None
    options = {"directory": directory, "open_now": municipality_open_at(at=now), "municipality": own}
    result = None
    note = ""
    directory_error = None
    if request.method == "POST":
        form = ConcernGuideForm(request.POST, **options)
        if form.is_valid():
            data = form.concern_data()
            try:
                decision = concern_route(data=data, on=now.date(), directory=directory)
            except ConcernInputError as error:
                form.add_error(None, error.text_da)
            except DirectoryError:
                directory_error = DIRECTORY_ERROR["message_da"]
            else:
                result = decision_present(decision=decision, language=language)
                note = age_note(data=data)
    else:
        form = ConcernGuideForm(**options)
    context = page.get_context(request)
    context.update(
        {
            "form": form,
            "result": result,
            "age_note": note,
            "directory_error": directory_error,
            "guide_vocabulary": {**guide_vocabulary(language=language), "ages": AGE_BY_BAND},
        }
    )
    response = TemplateResponse(request, page.get_template(request), context)
    response["Cache-Control"] = "no-store"
    return response
