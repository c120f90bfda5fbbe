"""Services of the interactive app: H5P activities from upload to playback and xAPI statements.

Public entry points (keyword-only arguments):
  h5p_package_validate, h5p_package_build        (re-exported from interactive.packages)
  h5p_activity_queue_processing, h5p_activity_process, h5p_activity_import, h5p_activity_package_install,
  h5p_activity_delete
  playback_token_create, playback_claims_read, playback_grant_read
  h5p_content_open
  xapi_statement_record
"""

from __future__ import annotations

import functools
import json
import logging
import math
import mimetypes
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from learning.models import User

from .models import H5PActivity, H5PActivityCompletion, XAPIStatement
from .packages import (
    CONTENT_EXTENSIONS,
    CORRUPT_ARCHIVE_ERRORS,
    LIBRARY_EXTENSIONS,
    H5PPackageRejected,
    ValidatedPackage,
    h5p_limits,
    h5p_package_build,
    h5p_package_extract,
    h5p_package_validate,
    h5p_storage_delete_prefix,
    h5p_temp_dir,
)

__all__ = [
    "H5PPackageRejected",
    "PlaybackClaims",
    "PlaybackGrant",
    "PlaybackTokenInvalid",
    "ValidatedPackage",
    "XAPIRecordResult",
    "XAPIStatementInvalid",
    "h5p_activity_delete",
    "h5p_activity_files_discard",
    "h5p_activity_import",
    "h5p_activity_package_install",
    "h5p_activity_process",
    "h5p_activity_queue_processing",
    "h5p_content_open",
    "h5p_package_build",
    "h5p_package_validate",
    "playback_claims_read",
    "playback_grant_read",
    "playback_token_create",
    "xapi_statement_record",
]

logger = logging.getLogger(__name__)

LESSON_COMPLETE_SERVICE = "courses.services.lesson_complete"

# The embed must be opened within this time; afterwards the running activity may load content and
# report statements for a working session's length (a learner may think longer than 15 minutes).
PLAYBACK_TOKEN_MAX_AGE = 15 * 60
PLAY_SESSION_MAX_AGE = 4 * 60 * 60
XAPI_MAX_BODY_BYTES = 64 * 1024
XAPI_RAW_MAX_CHARS = 16 * 1024
_TOKEN_SALT = "interactive.h5p.playback"  # noqa: S105  (a signing salt, not a secret)

COMPLETING_VERBS = frozenset({"completed", "answered"})


# --- Processing uploads ----------------------------------------------------------------------------------


def h5p_activity_queue_processing(*, activity: H5PActivity) -> None:
    """A new package was saved: mark the activity PENDING and check it in the background after commit."""
    from .tasks import h5p_activity_process as process_task

    H5PActivity.objects.filter(pk=activity.pk).update(
        status=H5PActivity.Status.PENDING, rejection_reason="", main_library="", processed_at=None
    )
    activity.status, activity.rejection_reason, activity.main_library = H5PActivity.Status.PENDING, "", ""
    activity.processed_at = None
    activity_id = activity.pk
    transaction.on_commit(lambda: process_task.delay(activity_id))


def _copy_to_local(source: IO[bytes], target: Path, *, limit: int) -> None:
    copied = 0
    with target.open("wb") as output:
        while chunk := source.read(1024 * 1024):
            copied += len(chunk)
            if copied > limit:
                raise H5PPackageRejected(
                    _("Pakken må højst fylde {limit} MB.").format(limit=round(limit / (1024 * 1024))),
                    code="too_large",
                )
            output.write(chunk)


def _activity_conclude(*, activity: H5PActivity, package_name: str, at: datetime, **fields) -> H5PActivity:
    """Store the outcome, unless the editor uploaded another package meanwhile (its own task decides)."""
    fields["processed_at"] = at
    updated = H5PActivity.objects.filter(
        pk=activity.pk, package=package_name, status=H5PActivity.Status.PENDING
    ).update(**fields)
    if updated:
        for name, value in fields.items():
            setattr(activity, name, value)
    else:
        activity.refresh_from_db()
    return activity


def _activity_reject(*, activity: H5PActivity, message: str, at: datetime) -> H5PActivity:
    h5p_storage_delete_prefix(prefix=activity.content_prefix)
    return _activity_conclude(
        activity=activity,
        package_name=activity.package.name or "",
        at=at,
        status=H5PActivity.Status.REJECTED,
        rejection_reason=message,
        main_library="",
    )


def h5p_activity_process(*, activity: H5PActivity, at: datetime) -> H5PActivity:
    """Check the activity's package and extract it into media storage.

    Idempotent: only a PENDING activity is processed; READY and REJECTED ones are returned unchanged.
    Storage errors propagate (the task retries); a refused package ends REJECTED with a Danish reason.
    """
    if activity.status != H5PActivity.Status.PENDING:
        return activity
    if not activity.package:
        return _activity_reject(activity=activity, message=_("Der er ikke uploadet nogen H5P-pakke."), at=at)
    with tempfile.TemporaryDirectory(prefix="forebyg-h5p-", dir=h5p_temp_dir()) as scratch:
        local = Path(scratch) / "package.h5p"
        try:
            with activity.package.open("rb") as source:
                _copy_to_local(source, local, limit=h5p_limits().max_package_bytes)
            validated = h5p_package_validate(path=local)
        except H5PPackageRejected as rejected:
            return _activity_reject(activity=activity, message=rejected.message, at=at)
        try:
            h5p_package_extract(path=local, validated=validated, prefix=activity.content_prefix)
        except CORRUPT_ARCHIVE_ERRORS:
            # The directory said one thing, the data another (e.g. a CRC mismatch): refused, not retried.
            return _activity_reject(
                activity=activity,
                message=_("Pakken er beskadiget og kan ikke pakkes ud. Eksportér den igen."),
                at=at,
            )
    return _activity_conclude(
        activity=activity,
        package_name=activity.package.name,
        at=at,
        status=H5PActivity.Status.READY,
        rejection_reason="",
        main_library=validated.main_library,
    )


def _unique_slug(base: str) -> str:
    base = (slugify(base) or "h5p-aktivitet")[:90]
    slug, counter = base, 2
    while H5PActivity.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _activity_install(
    *, activity: H5PActivity, path: Path, validated: ValidatedPackage, at: datetime
) -> H5PActivity:
    with path.open("rb") as handle:
        activity.package.save(f"{activity.slug}.h5p", File(handle), save=False)
    activity.save()
    h5p_package_extract(path=path, validated=validated, prefix=activity.content_prefix)
    activity.status = H5PActivity.Status.READY
    activity.rejection_reason = ""
    activity.main_library = validated.main_library
    activity.processed_at = at
    activity.save(update_fields=["status", "rejection_reason", "main_library", "processed_at"])
    return activity


def h5p_activity_package_install(*, activity: H5PActivity, path: str | Path, at: datetime) -> H5PActivity:
    """Check a package synchronously and make it the (existing) activity's content, READY at once.

    Raises `H5PPackageRejected` before anything is stored when the package is refused.
    """
    path = Path(path)
    validated = h5p_package_validate(path=path)
    return _activity_install(activity=activity, path=path, validated=validated, at=at)


def h5p_activity_import(
    *, path: str | Path, title: str, slug: str | None = None, at: datetime
) -> H5PActivity:
    """Check and import a package as a new activity synchronously (management command, demo content).

    The package is validated before anything is stored; raises `H5PPackageRejected` if it is refused
    and django's ValidationError if the title or slug is not acceptable.
    """
    path = Path(path)
    validated = h5p_package_validate(path=path)
    activity = H5PActivity(title=title[:200], slug=slug or _unique_slug(title))
    activity.full_clean(exclude=["package", "uid"])
    try:
        with transaction.atomic():
            return _activity_install(activity=activity, path=path, validated=validated, at=at)
    except BaseException:
        h5p_storage_delete_prefix(prefix=activity.content_prefix)
        if activity.package:
            activity.package.delete(save=False)
        raise


def h5p_activity_files_discard(*, activity: H5PActivity) -> None:
    """Remove the activity's uploaded package and extracted files once the current transaction commits
    (immediately outside a transaction). Call it when the activity has been deleted."""
    prefix = activity.content_prefix
    package = activity.package.name if activity.package else None

    def discard() -> None:
        h5p_storage_delete_prefix(prefix=prefix)
        if package:
            default_storage.delete(package)

    transaction.on_commit(discard)


def h5p_activity_delete(*, activity: H5PActivity) -> None:
    """Delete an activity; its package and files go once the deletion is committed."""
    activity.delete()
    h5p_activity_files_discard(activity=activity)


# --- Playback tokens -------------------------------------------------------------------------------------


class PlaybackTokenInvalid(Exception):
    pass


@dataclass(frozen=True)
class PlaybackClaims:
    """What a verified token says, read without the database: which activity, learner and lesson."""

    activity_uid: uuid.UUID
    user_id: int
    lesson_page_id: int | None
    issued_at: float


@dataclass(frozen=True)
class PlaybackGrant:
    activity: H5PActivity
    user: User
    lesson_page_id: int | None
    issued_at: float


class _ClockSigner(signing.TimestampSigner):
    """A TimestampSigner whose clock is passed in, so callers (and tests) decide what "now" is."""

    def __init__(self, *, now: float):
        super().__init__(salt=_TOKEN_SALT)
        self._now = now

    def timestamp(self) -> str:
        return signing.b62_encode(int(self._now))

    def unsign(self, value: str, max_age: float | None = None) -> str:
        result = signing.Signer.unsign(self, value)
        value, timestamp = result.rsplit(self.sep, 1)
        self.issued_at = signing.b62_decode(timestamp)
        if max_age is not None and not (-60 <= self._now - self.issued_at <= max_age):
            raise signing.SignatureExpired("token expired")
        return value


def playback_token_create(
    *, activity: H5PActivity, user: User, lesson_page_id: int | None, at: datetime
) -> str:
    """A signed, URL-safe token naming the activity, the learner and the lesson page that embeds it."""
    payload = {"a": str(activity.uid), "u": user.pk, "l": lesson_page_id}
    return _ClockSigner(now=at.timestamp()).sign_object(payload, compress=False)


def playback_claims_read(
    *, token: str, at: datetime, max_age: float = PLAYBACK_TOKEN_MAX_AGE
) -> PlaybackClaims:
    """Verify a playback token's signature and age (no database); raises PlaybackTokenInvalid when it
    is tampered, expired or from the future. Whether the activity is still READY and the learner still
    active is not checked here: ``playback_grant_read`` and ``xapi_statement_record`` check it."""
    signer = _ClockSigner(now=at.timestamp())
    try:
        payload = signer.unsign_object(token, max_age=max_age)
        activity_uid = uuid.UUID(str(payload["a"]))
        user_id = int(payload["u"])
        lesson = payload.get("l")
        lesson_page_id = int(lesson) if lesson is not None else None
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise PlaybackTokenInvalid(str(error)) from None
    return PlaybackClaims(
        activity_uid=activity_uid, user_id=user_id, lesson_page_id=lesson_page_id, issued_at=signer.issued_at
    )


def _grant_load(*, claims: PlaybackClaims) -> PlaybackGrant:
    activity = H5PActivity.objects.filter(uid=claims.activity_uid, status=H5PActivity.Status.READY).first()
    user = User.objects.filter(pk=claims.user_id, is_active=True).first()
    if activity is None or user is None:
        raise PlaybackTokenInvalid("activity or user is gone")
    return PlaybackGrant(
        activity=activity, user=user, lesson_page_id=claims.lesson_page_id, issued_at=claims.issued_at
    )


def playback_grant_read(
    *, token: str, at: datetime, max_age: float = PLAYBACK_TOKEN_MAX_AGE
) -> PlaybackGrant:
    """Verify a playback token; raises PlaybackTokenInvalid when it is tampered, expired or stale, or
    when the activity is no longer READY or the learner no longer active."""
    return _grant_load(claims=playback_claims_read(token=token, at=at, max_age=max_age))


# --- Serving extracted content ---------------------------------------------------------------------------

_CONTENT_TYPES = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
    "svg": "image/svg+xml",
    "txt": "text/plain; charset=utf-8",
    "md": "text/plain; charset=utf-8",
    "textile": "text/plain; charset=utf-8",
    "diff": "text/plain; charset=utf-8",
    "patch": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "webvtt": "text/vtt; charset=utf-8",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "webp": "image/webp",
    "m4a": "audio/mp4",
    "glb": "model/gltf-binary",
    "gltf": "model/gltf+json",
}


def h5p_content_open(*, activity: H5PActivity, path: str) -> tuple[IO[bytes], str] | None:
    """Open one extracted file of a READY activity, or None if the path is not a file of its package."""
    parts = PurePosixPath(path).parts
    if (
        not path
        or "\\" in path
        or ":" in path
        or path.startswith("/")
        or any(part in {"", ".", ".."} or part.startswith(".") for part in parts)
        or path.split("/")[-1] == ""
    ):
        return None
    extension = PurePosixPath(path).suffix.lower().lstrip(".")
    allowed = CONTENT_EXTENSIONS if parts[0] == "content" else LIBRARY_EXTENSIONS
    if extension not in allowed:
        return None
    name = f"{activity.content_prefix}{path}"
    if not default_storage.exists(name):
        return None
    content_type = (
        _CONTENT_TYPES.get(extension) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    )
    return default_storage.open(name, "rb"), content_type


# --- xAPI statements -------------------------------------------------------------------------------------


class XAPIStatementInvalid(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class XAPIRecordResult:
    statement: XAPIStatement
    created: bool
    lesson_completed: bool


def _has_unstorable_text(statement: Any) -> bool:
    """NUL (PostgreSQL refuses it in text and jsonb) or a lone surrogate (a \\ud800 escape; not UTF-8),
    anywhere in the statement. Walked without recursion: the nesting is as deep as the client made it."""
    pending = [statement]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value or (not value.isascii() and any("\ud800" <= ch <= "\udfff" for ch in value)):
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


def _parse_statement(body: bytes) -> dict[str, Any]:
    try:
        statement = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):  # RecursionError: nesting too deep
        raise XAPIStatementInvalid(_("Udsagnet er ikke gyldig JSON.")) from None
    if not isinstance(statement, dict):
        raise XAPIStatementInvalid(_("Udsagnet skal være et JSON-objekt."))
    if _has_unstorable_text(statement):
        raise XAPIStatementInvalid(_("Udsagnet indeholder tegn, der ikke kan gemmes (NUL eller ugyldig unicode)."))
    verb = statement.get("verb")
    if not isinstance(verb, dict) or not isinstance(verb.get("id"), str) or not verb["id"].strip():
        raise XAPIStatementInvalid(_("Udsagnet mangler et verbum (verb.id)."))
    if len(verb["id"]) > 255:
        raise XAPIStatementInvalid(_("Udsagnets verbum er for langt."))
    result = statement.get("result", {})
    if not isinstance(result, dict):
        raise XAPIStatementInvalid(_("Feltet result skal være et JSON-objekt."))
    if "success" in result and not isinstance(result["success"], bool):
        raise XAPIStatementInvalid(_("Feltet result.success skal være true eller false."))
    score = result.get("score", {})
    if not isinstance(score, dict):
        raise XAPIStatementInvalid(_("Feltet result.score skal være et JSON-objekt."))
    scaled = score.get("scaled")
    if scaled is not None and (
        isinstance(scaled, bool)
        or not isinstance(scaled, int | float)
        or not math.isfinite(scaled)
        or not -1 <= scaled <= 1
    ):
        raise XAPIStatementInvalid(_("Feltet result.score.scaled skal være et tal mellem -1 og 1."))
    return statement


def _statement_uuid(statement: dict[str, Any]) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(statement["id"]))
    except (KeyError, ValueError):
        return None


def _trimmed(statement: dict[str, Any]) -> dict[str, Any]:
    """What is kept: never the client's actor or authority; large parts dropped when the statement is big."""
    kept = {key: value for key, value in statement.items() if key not in {"actor", "authority"}}
    if len(json.dumps(kept, ensure_ascii=False)) > XAPI_RAW_MAX_CHARS:
        kept = {key: kept[key] for key in ("id", "verb", "result", "timestamp") if key in kept}
        kept["trimmed"] = True
        if len(json.dumps(kept, ensure_ascii=False)) > XAPI_RAW_MAX_CHARS:
            kept = {"verb": {"id": statement["verb"]["id"]}, "trimmed": True}
    return kept


def _is_top_level(statement: dict[str, Any]) -> bool:
    """Statements about a part of a compound activity (a sub-question) name a parent; they never complete it."""
    context = statement.get("context")
    activities = context.get("contextActivities") if isinstance(context, dict) else None
    return not (isinstance(activities, dict) and activities.get("parent"))


def _lesson_notify(*, completion: H5PActivityCompletion, user: User, at: datetime) -> bool:
    """Tell the courses app the lesson is complete. Returns False while it cannot (and retries next time)."""
    from wagtail.models import Page

    try:
        lesson_complete = import_string(LESSON_COMPLETE_SERVICE)
    except ImportError:
        logger.warning(
            "%s does not exist yet; completion %s kept for later", LESSON_COMPLETE_SERVICE, completion.pk
        )
        return False
    page = Page.objects.filter(pk=completion.lesson_page_id).first()
    if page is None:
        logger.warning(
            "lesson page %s of completion %s no longer exists", completion.lesson_page_id, completion.pk
        )
        return False
    try:
        with transaction.atomic():
            lesson_complete(user=user, lesson=page.specific, at=at)
    except Exception:
        # The statement stays recorded and the completion pending: the next statement tries again.
        logger.exception("lesson_complete failed for completion %s", completion.pk)
        return False
    completion.lesson_notified_at = at
    completion.save(update_fields=["lesson_notified_at"])
    return True


_INSERTED_FIELDS = (
    "user",
    "lesson_page_id",
    "statement_uuid",
    "verb",
    "success",
    "score_scaled",
    "raw",
    "received_at",
)


@functools.cache
def _statement_insert_sql(vendor: str) -> str:
    """The statement's ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`` (PostgreSQL and SQLite alike),
    built once per database vendor from the models' metadata. Parameters: the values of ``_INSERTED_FIELDS``,
    then the activity's uid, the READY status and the learner's id."""
    quote = connection.ops.quote_name
    meta, activity, user = XAPIStatement._meta, H5PActivity._meta, User._meta

    def column(model_meta, name: str) -> str:
        return f"{quote(model_meta.db_table)}.{quote(model_meta.get_field(name).column)}"

    unique = next(c for c in meta.constraints if c.name == "interactive_xapi_unique_statement_per_user")
    columns = ", ".join(quote(meta.get_field(name).column) for name in ("activity", *_INSERTED_FIELDS))
    # Identifiers only come from the models (quoted); every value is a parameter.
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {column(activity, 'id')}, {', '.join(['%s'] * len(_INSERTED_FIELDS))} "
        f"FROM {quote(activity.db_table)} WHERE {column(activity, 'uid')} = %s AND {column(activity, 'status')} = %s "
        f"AND EXISTS (SELECT 1 FROM {quote(user.db_table)} WHERE {column(user, 'id')} = %s AND {column(user, 'is_active')}) "
        f"ON CONFLICT ({', '.join(quote(meta.get_field(name).column) for name in unique.fields)}) "
        f"WHERE {quote(meta.get_field('statement_uuid').column)} IS NOT NULL DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}, {quote(meta.get_field('activity').column)}"
    )


def _statement_insert(
    *, claims: PlaybackClaims, statement: dict[str, Any], statement_uuid: uuid.UUID | None, at: datetime
) -> XAPIStatement | None:
    """Insert the statement in one round trip, and only while the grant holds: the row is written when
    the token's activity is READY and its learner active, and only once per (learner, statement id)
    (``ON CONFLICT DO NOTHING`` on the unique constraint). Returns the new row, or None when nothing was
    written (a statement sent again, or a grant that no longer holds).

    One ``INSERT … SELECT`` instead of looking up the activity and the learner, checking for the
    statement id and inserting inside a savepoint: the ingest is the platform's most frequent write.
    """
    result = statement.get("result") or {}
    scaled = (result.get("score") or {}).get("scaled")
    row = XAPIStatement(
        user_id=claims.user_id,
        lesson_page_id=claims.lesson_page_id,
        statement_uuid=statement_uuid,
        verb=statement["verb"]["id"].strip(),
        success=result.get("success"),
        score_scaled=float(scaled) if scaled is not None else None,
        raw=_trimmed(statement),
        received_at=at,
    )
    meta = XAPIStatement._meta
    params = [
        *(
            meta.get_field(name).get_db_prep_save(getattr(row, meta.get_field(name).attname), connection)
            for name in _INSERTED_FIELDS
        ),
        H5PActivity._meta.get_field("uid").get_db_prep_value(claims.activity_uid, connection),
        H5PActivity.Status.READY.value,
        claims.user_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_statement_insert_sql(connection.vendor), params)
        inserted = cursor.fetchone()
    if inserted is None:
        return None
    row.pk, row.activity_id = inserted
    return row


def _completes_lesson(*, statement: dict[str, Any], claims: PlaybackClaims) -> bool:
    verb = statement["verb"]["id"].strip().rstrip("/").rsplit("/", 1)[-1]
    success = (statement.get("result") or {}).get("success")
    return (
        verb in COMPLETING_VERBS
        and success is True
        and _is_top_level(statement)
        and claims.lesson_page_id is not None
    )


def xapi_statement_record(*, claims: PlaybackClaims, body: bytes, at: datetime) -> XAPIRecordResult:
    """Record one statement for the token's learner, activity and lesson; complete the lesson when it says so.

    Completion and success are separate: only a top-level `completed` or `answered` statement with
    result.success == true completes the lesson that embeds the activity. A score alone completes
    nothing, and nothing here completes a course (that stays with the quizzes' final assessment).
    A statement sent again with the same id is recorded once. Raises PlaybackTokenInvalid when the
    activity is no longer READY or the learner no longer active (nothing is recorded then).

    Most statements (progressed, attempted, a wrong answer) complete nothing: they are one INSERT in
    autocommit. A completing statement is recorded in one transaction with the completion.
    """
    statement = _parse_statement(body)
    statement_uuid = _statement_uuid(statement)
    try:
        if not _completes_lesson(statement=statement, claims=claims):
            recorded = _statement_insert(
                claims=claims, statement=statement, statement_uuid=statement_uuid, at=at
            )
            if recorded is None:
                return _not_recorded(claims=claims, statement_uuid=statement_uuid)
            return XAPIRecordResult(statement=recorded, created=True, lesson_completed=False)
        with transaction.atomic():
            recorded = _statement_insert(
                claims=claims, statement=statement, statement_uuid=statement_uuid, at=at
            )
            if recorded is None:
                return _not_recorded(claims=claims, statement_uuid=statement_uuid)
            completion, _created = H5PActivityCompletion.objects.select_for_update().get_or_create(
                user_id=claims.user_id,
                activity_id=recorded.activity_id,
                lesson_page_id=claims.lesson_page_id,
                defaults={"completed_at": at},
            )
            if completion.lesson_notified_at is not None:
                return XAPIRecordResult(statement=recorded, created=True, lesson_completed=False)
            user = User.objects.get(pk=claims.user_id)
            notified = _lesson_notify(completion=completion, user=user, at=at)
    except IntegrityError:
        # The learner or the activity was deleted in the same instant (a foreign key failed).
        raise PlaybackTokenInvalid("activity or user is gone") from None
    return XAPIRecordResult(statement=recorded, created=True, lesson_completed=notified)


def _not_recorded(*, claims: PlaybackClaims, statement_uuid: uuid.UUID | None) -> XAPIRecordResult:
    """Nothing was inserted: the grant no longer holds (PlaybackTokenInvalid), or the statement was sent
    before (its first recording is returned). Rare, so the look-ups are made only here."""
    grant = _grant_load(claims=claims)
    existing = (
        XAPIStatement.objects.filter(user=grant.user, statement_uuid=statement_uuid).first()
        if statement_uuid
        else None
    )
    if existing is None:  # the grant changed between the INSERT and the look-ups: refuse, the player retries
        raise PlaybackTokenInvalid("the grant did not hold when the statement was inserted")
    return XAPIRecordResult(statement=existing, created=False, lesson_completed=False)
