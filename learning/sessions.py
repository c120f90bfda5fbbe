"""Session lifetime and session hygiene.

* Idle timeout (``SESSION_IDLE_TIMEOUT``) and absolute timeout (``SESSION_COOKIE_AGE`` counted from
  login, never extended by activity), enforced by ``SessionTimeoutMiddleware``. Last activity is written
  to the session at most once per ``SESSION_ACTIVITY_WRITE_INTERVAL`` seconds, so an active user does not
  cause a session write on every request.
* ``user_sessions_end_others`` ends every other session of a user: called when the password or the
  second factor changes (signal receivers below only call the service).

Every session is tracked in allauth.usersessions' ``UserSession`` (the middleware registers sessions
that did not start through allauth's login, e.g. sessions older than this code).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from .models import User

SESSION_STARTED_KEY = "_forebyg_started_at"
SESSION_SEEN_KEY = "_forebyg_seen_at"
SESSION_TRACKED_KEY = "_forebyg_tracked"


@dataclass(frozen=True)
class SessionVerdict:
    expired: bool
    reason: str = ""  # "idle" or "absolute" when expired
    touch: bool = False  # write last activity now


def session_verdict(
    *,
    started_at: int | None,
    seen_at: int | None,
    at: datetime.datetime,
    idle_timeout: int,
    absolute_timeout: int,
    write_interval: int,
) -> SessionVerdict:
    """Decide whether an authenticated session has expired and whether to record activity now.

    Times are whole seconds since the epoch as stored in the session.
    """
    now = int(at.timestamp())
    if started_at is None or seen_at is None:
        return SessionVerdict(expired=False, touch=True)
    if now - started_at >= absolute_timeout:
        return SessionVerdict(expired=True, reason="absolute")
    if now - seen_at >= idle_timeout:
        return SessionVerdict(expired=True, reason="idle")
    return SessionVerdict(expired=False, touch=now - seen_at >= write_interval)


def session_mark_login(*, session, at: datetime.datetime) -> None:
    """Start the absolute and idle clocks of a freshly authenticated session."""
    stamp = int(at.timestamp())
    session[SESSION_STARTED_KEY] = stamp
    session[SESSION_SEEN_KEY] = stamp


def user_session_track(*, request: HttpRequest) -> None:
    """Make sure the current authenticated session is listed in allauth's UserSession table."""
    from allauth.usersessions.models import UserSession

    if not request.session.session_key:
        request.session.save()
    if not UserSession.objects.filter(session_key=request.session.session_key).exists():
        UserSession.objects.create_from_request(request)
    request.session[SESSION_TRACKED_KEY] = request.session.session_key


def user_sessions_end_others(*, user: User, keep_session_key: str | None) -> int:
    """End every session of `user` except `keep_session_key` (None: end them all). Returns how many."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for user_session in UserSession.objects.filter(user_id=user.pk).exclude(session_key=keep_session_key or ""):
        user_session.end()  # deletes the session from the session store, then the row
        ended += 1
    return ended


class SessionTimeoutMiddleware:
    """Log out sessions that were idle too long or are older than the absolute limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            at = timezone.now()
            verdict = session_verdict(
                started_at=request.session.get(SESSION_STARTED_KEY),
                seen_at=request.session.get(SESSION_SEEN_KEY),
                at=at,
                idle_timeout=settings.SESSION_IDLE_TIMEOUT,
                absolute_timeout=settings.SESSION_COOKIE_AGE,
                write_interval=settings.SESSION_ACTIVITY_WRITE_INTERVAL,
            )
            if verdict.expired:
                # The request continues as anonymous: protected pages send the user to the login page.
                logout(request)
                request.session_expired = verdict.reason
                return self.get_response(request)
            if verdict.touch:
                if request.session.get(SESSION_STARTED_KEY) is None:
                    request.session[SESSION_STARTED_KEY] = int(at.timestamp())
                request.session[SESSION_SEEN_KEY] = int(at.timestamp())
            # Once per session key (login cycles the key): list it among the user's sessions.
            if request.session.get(SESSION_TRACKED_KEY) != request.session.session_key:
                user_session_track(request=request)
        return self.get_response(request)


# --- Signal receivers: each only calls a service ------------------------------------------------------


def _current_key(request: HttpRequest | None) -> str | None:
    session = getattr(request, "session", None)
    return session.session_key if session is not None else None


def on_user_logged_in(sender, request: HttpRequest | None = None, user: User | None = None, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_mark_login(session=request.session, at=timezone.now())


def _on_credentials_changed(action: str, request: HttpRequest | None, user: User) -> None:
    from .audit import audit_record

    at = timezone.now()
    ended = user_sessions_end_others(user=user, keep_session_key=_current_key(request))
    audit_record(actor=user, action=action, target=user, at=at, detail={"other_sessions_ended": ended})


def on_password_changed(sender, request=None, user=None, **kwargs) -> None:
    _on_credentials_changed("password_changed", request, user)


def on_password_reset(sender, request=None, user=None, **kwargs) -> None:
    _on_credentials_changed("password_reset", request, user)


def on_authenticator_added(sender, request=None, user=None, **kwargs) -> None:
    _on_credentials_changed("mfa_added", request, user)


def on_authenticator_removed(sender, request=None, user=None, **kwargs) -> None:
    _on_credentials_changed("mfa_removed", request, user)


def on_authenticator_reset(sender, request=None, user=None, **kwargs) -> None:
    _on_credentials_changed("mfa_reset", request, user)


def session_signals_connect() -> None:
    """Connect the receivers (called from LearningConfig.ready)."""
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(on_user_logged_in, dispatch_uid="forebyg-session-login")
    account_signals.password_changed.connect(on_password_changed, dispatch_uid="forebyg-password-changed")
    account_signals.password_set.connect(on_password_changed, dispatch_uid="forebyg-password-set")
    account_signals.password_reset.connect(on_password_reset, dispatch_uid="forebyg-password-reset")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="forebyg-mfa-added")
    mfa_signals.authenticator_removed.connect(on_authenticator_removed, dispatch_uid="forebyg-mfa-removed")
    mfa_signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid="forebyg-mfa-reset")
