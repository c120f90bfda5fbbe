"""The staff roster: parse an uploaded CSV/XLSX, validate every row (in Danish), import all-or-nothing,
and invite new staff to set their password.

Flow: ``roster_parse`` (file → raw rows) → ``roster_upload_create`` (stores the rows for this coordinator
only) → preview with ``roster_validate`` → ``roster_import`` (re-validates; one transaction; nothing is
imported when a single row is invalid) → invitations queued on commit (``invitation_send``, exactly once).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from learning.models import Department, JobRole, Municipality, User
from learning.roles import Role, role_group
from learning.validators import contains_cpr_number

from .models import Invitation, RosterUpload
from .summary import staff_members_refresh

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
UPLOAD_KEEP = dt.timedelta(days=1)
INVITATION_CLAIM_STALE = dt.timedelta(minutes=30)

# Accepted headers (compared case-insensitively, spaces and underscores ignored) → field.
HEADERS = {
    "navn": "name",
    "name": "name",
    "fuldtnavn": "name",
    "fullname": "name",
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "e-mailadresse": "email",
    "emailaddress": "email",
    "afdeling": "department",
    "department": "department",
    "stillingsfunktion": "job_role",
    "stilling": "job_role",
    "jobrole": "job_role",
    "job-role": "job_role",
    "role": "job_role",
    "rolle": "job_role",
}
FIELDS = ("name", "email", "department", "job_role")


class RosterFileError(Exception):
    """The file as a whole cannot be read (shown to the coordinator as is, in Danish)."""


def _header_key(value: Any) -> str:
    return str(value or "").strip().lower().replace(" ", "").replace("_", "")


# Control characters (NUL, escape, …) mean nothing in a name, an address or a department, and PostgreSQL
# cannot store NUL in text or JSON: they are read as spaces (and runs of space as one).
_CONTROL_AS_SPACE = dict.fromkeys([*range(0x20), 0x7F, *range(0x80, 0xA0)], " ")


def roster_cell_text(value: Any) -> str:
    """A cell as the roster keeps it: text, control characters as spaces, white space folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).translate(_CONTROL_AS_SPACE).split())


def _rows_from_table(table: list[list[Any]]) -> list[dict[str, str]]:
    while table and not any(roster_cell_text(c) for c in table[0]):
        table = table[1:]
    if not table:
        raise RosterFileError(_("Filen er tom."))
    header = [HEADERS.get(_header_key(c), "") for c in table[0]]
    missing = [f for f in ("name", "email") if f not in header]
    if missing:
        raise RosterFileError(
            _(
                "Første række skal være overskrifter med mindst kolonnerne »navn« og »e-mail« "
                "(og gerne »afdeling« og »stillingsfunktion«)."
            )
        )
    rows = []
    for raw in table[1:]:
        cells = [roster_cell_text(c) for c in raw]
        if not any(cells):
            continue
        row = dict.fromkeys(FIELDS, "")
        extra = []
        for index, value in enumerate(cells):
            name = header[index] if index < len(header) else ""
            if name and not row[name]:
                row[name] = value
            elif value:
                extra.append(value)
        row["_extra"] = " ".join(extra)
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise RosterFileError(_("Filen har mere end %(max)s rækker. Del den op.") % {"max": MAX_ROWS})
    if not rows:
        raise RosterFileError(_("Filen har ingen medarbejdere under overskrifterne."))
    return rows


def roster_parse(*, filename: str, content: bytes) -> list[dict[str, str]]:
    """Read a CSV (UTF-8, `;` or `,`) or XLSX file into rows of name, email, department, job_role."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise RosterFileError(_("Filen er for stor (højst 2 MB)."))
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _rows_from_table(_xlsx_table(content))
    if name.endswith(".csv") or name.endswith(".txt"):
        return _rows_from_table(_csv_table(content))
    raise RosterFileError(_("Upload en CSV- eller XLSX-fil."))


def _csv_table(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise RosterFileError(_("Filen kan ikke læses som tekst. Gem den som CSV (UTF-8)."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)][: MAX_ROWS + 2]


def _xlsx_table(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise RosterFileError(_("Filen kan ikke læses som et Excel-ark (XLSX).")) from exc
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append(list(row))
            if len(table) > MAX_ROWS + 2:
                break
        return table
    finally:
        workbook.close()


# --- Validation ----------------------------------------------------------------------------------------------


@dataclass
class RosterRow:
    number: int  # row number in the file (the header is row 1)
    name: str
    email: str
    department: str
    job_role: str
    department_id: int | None = None
    job_role_value: str = ""
    errors: list[str] = field(default_factory=list)
    existing_user_id: int | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def job_role_label(self) -> str:
        return str(dict(JobRole.choices).get(self.job_role_value, ""))


def _job_role_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in JobRole.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
        with translation.override("en"):
            lookup[str(JobRole(value).label).lower()] = value
    return lookup


def roster_validate(*, municipality: Municipality, rows: list[dict[str, str]]) -> list[RosterRow]:
    """Validate every row; errors are in Danish. A fixed number of queries whatever the row count."""
    department_names = list(
        Department.objects.filter(municipality=municipality).order_by("name").values_list("pk", "name")
    )
    departments = {name.lower(): pk for pk, name in department_names}
    known_departments = ", ".join(name for _pk, name in department_names)
    roles = _job_role_lookup()
    emails = [(row.get("email") or "").strip().lower() for row in rows]
    users = {
        email.lower(): (pk, municipality_id)
        for email, pk, municipality_id in User.objects.filter(email__in=[e for e in emails if e]).values_list(
            "email", "pk", "municipality_id"
        )
    }
    seen: dict[str, int] = {}
    result = []
    for index, row in enumerate(rows):
        item = RosterRow(
            number=index + 2,
            name=(row.get("name") or "").strip(),
            email=emails[index],
            department=(row.get("department") or "").strip(),
            job_role=(row.get("job_role") or "").strip(),
        )
        cells = [item.name, item.email, item.department, item.job_role, row.get("_extra") or ""]
        if any(contains_cpr_number(cell) for cell in cells):
            item.errors.append(_("Rækken ser ud til at indeholde et CPR-nummer. Fjern det, og upload filen igen."))
        if not item.name:
            item.errors.append(_("Navn mangler."))
        elif len(item.name) > 150:
            item.errors.append(_("Navnet er for langt (højst 150 tegn)."))
        if not item.email:
            item.errors.append(_("E-mail mangler."))
        else:
            try:
                validate_email(item.email)
            except ValidationError:
                item.errors.append(_("»%(email)s« er ikke en gyldig e-mailadresse.") % {"email": item.email})
            else:
                if item.email in seen:
                    item.errors.append(
                        _("E-mailadressen står også i række %(row)s. Hver medarbejder må kun stå én gang.")
                        % {"row": seen[item.email]}
                    )
                else:
                    seen[item.email] = item.number
                existing = users.get(item.email)
                if existing is not None:
                    if existing[1] != municipality.pk:
                        item.errors.append(
                            _("E-mailadressen kan ikke bruges. Kontakt platformens administrator, hvis den er rigtig.")
                        )
                    else:
                        item.existing_user_id = existing[0]
        if item.department:
            item.department_id = departments.get(item.department.lower())
            if item.department_id is None:
                item.errors.append(
                    _("Afdelingen »%(name)s« findes ikke i kommunen. Brug en af: %(known)s.")
                    % {
                        "name": item.department,
                        "known": known_departments,
                    }
                )
        if item.job_role:
            item.job_role_value = roles.get(item.job_role.lower(), "")
            if not item.job_role_value:
                item.errors.append(
                    _("Stillingsfunktionen »%(name)s« kendes ikke. Brug en af: %(known)s.")
                    % {"name": item.job_role, "known": ", ".join(str(label) for _v, label in JobRole.choices)}
                )
        result.append(item)
    return result


def roster_upload_create(
    *, municipality: Municipality, uploaded_by: User, filename: str, rows: list[dict[str, str]], at: dt.datetime
) -> RosterUpload:
    """Keep the parsed rows for this coordinator until they confirm (older uploads are removed)."""
    RosterUpload.objects.filter(Q(uploaded_by=uploaded_by) | Q(uploaded_at__lt=at - UPLOAD_KEEP)).delete()
    return RosterUpload.objects.create(
        municipality=municipality, uploaded_by=uploaded_by, uploaded_at=at, filename=filename[:200], rows=rows
    )


def roster_upload_for(*, user: User, municipality: Municipality, public_id: Any) -> RosterUpload | None:
    """The upload if it belongs to this coordinator and municipality and has not been imported."""
    try:
        return RosterUpload.objects.filter(
            public_id=public_id, uploaded_by=user, municipality=municipality, imported_at__isnull=True
        ).first()
    except ValidationError:
        return None


# --- Import ----------------------------------------------------------------------------------------------------


class RosterInvalid(Exception):
    def __init__(self, rows: list[RosterRow]):
        super().__init__("roster has invalid rows")
        self.rows = rows


@dataclass
class RosterImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invited: int = 0
    invitation_ids: list[int] = field(default_factory=list)


def _split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


def roster_import(
    *, municipality: Municipality, rows: list[dict[str, str]], invited_by: User | None, at: dt.datetime
) -> RosterImportResult:
    """Import every row or none: validates again, then creates or updates staff in one transaction.

    Matching is on e-mail (case-insensitive): a known person of the municipality gets name, department
    and job role updated (and the learner role added); everyone else is created with an unusable
    password, the learner role and an invitation that is e-mailed after commit.
    """
    checked = roster_validate(municipality=municipality, rows=rows)
    if any(not row.valid for row in checked):
        raise RosterInvalid(checked)
    result = RosterImportResult()
    learners = role_group(Role.LEARNER)
    imported_ids: list[int] = []
    with transaction.atomic():
        existing = {
            u.email.lower(): u
            for u in User.objects.select_for_update().filter(
                municipality=municipality, email__in=[row.email for row in checked]
            )
        }
        for row in checked:
            first, last = _split_name(row.name)
            user = existing.get(row.email)
            if user is not None:
                new = (first, last, row.department_id or user.department_id, row.job_role_value or user.job_role)
                old = (user.first_name, user.last_name, user.department_id, user.job_role)
                if new != old:
                    user.first_name, user.last_name, user.department_id, user.job_role = new
                    user.save(update_fields=["first_name", "last_name", "department", "job_role"])
                    result.updated += 1
                else:
                    result.unchanged += 1
                user.groups.add(learners)
                imported_ids.append(user.pk)
                continue
            user = User(
                email=row.email,
                first_name=first,
                last_name=last,
                municipality=municipality,
                department_id=row.department_id,
                job_role=row.job_role_value,
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(learners)
            imported_ids.append(user.pk)
            invitation = Invitation.objects.create(
                user=user, municipality=municipality, invited_by=invited_by, created_at=at
            )
            result.created += 1
            result.invited += 1
            result.invitation_ids.append(invitation.pk)
        # The dashboard's copy of where everyone works, in the import's transaction.
        staff_members_refresh(user_ids=imported_ids)
        for invitation_id in result.invitation_ids:
            invitation_queue(invitation_id=invitation_id)
    return result


# --- Invitations -------------------------------------------------------------------------------------------------


def invitation_queue(*, invitation_id: int) -> None:
    from .tasks import coverage_send_invitation

    transaction.on_commit(lambda: _queue_safely(coverage_send_invitation, invitation_id))


def _queue_safely(task: Any, *args: Any) -> None:
    try:
        task.delay(*args)
    except Exception:
        logger.exception("Could not queue %s%s; invitations_requeue will retry", task.name, args)


def password_set_url(*, user: User) -> str:
    """A link that lets the user choose a password (allauth's password reset from key)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    uid = user_pk_to_url_str(user)
    key = default_token_generator.make_token(user)
    with translation.override("da"):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": key})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_templated_email(*, template: str, context: dict[str, Any], to: str) -> None:
    with translation.override("da"):
        subject = " ".join(render_to_string(f"coverage/email/{template}_subject.txt", context).split())
        body = render_to_string(f"coverage/email/{template}_body.txt", context)
        html = render_to_string(f"coverage/email/{template}_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def invitation_send(*, invitation_id: int, at: dt.datetime) -> bool:
    """E-mail the invitation once. The conditional UPDATE is the claim; a failure releases it and re-raises."""
    claimed = (
        Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=at - INVITATION_CLAIM_STALE))
        .update(claimed_at=at)
    )
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("user", "municipality", "invited_by").get(pk=invitation_id)
    try:
        send_templated_email(
            template="invitation",
            context={
                "user": invitation.user,
                "municipality": invitation.municipality,
                "invited_by": invitation.invited_by,
                "url": password_set_url(user=invitation.user),
            },
            to=invitation.user.email,
        )
    except Exception:
        Invitation.objects.filter(pk=invitation_id, claimed_at=at).update(claimed_at=None)
        raise
    Invitation.objects.filter(pk=invitation_id).update(sent_at=at)
    return True


def invitation_accept(*, user: User, at: dt.datetime) -> bool:
    """The invited person set their password via the link: their e-mail is thereby verified."""
    from learning.services import user_mark_email_verified

    updated = Invitation.objects.filter(user=user, accepted_at__isnull=True).update(accepted_at=at)
    if updated:
        user_mark_email_verified(user=user)
    return bool(updated)


def invitations_requeue(*, at: dt.datetime, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Queue again invitations that were never sent (a lost broker message)."""
    ids = list(
        Invitation.objects.filter(sent_at__isnull=True, created_at__lt=at - older_than)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=at - INVITATION_CLAIM_STALE))
        .values_list("pk", flat=True)[:500]
    )
    for invitation_id in ids:
        invitation_queue(invitation_id=invitation_id)
    return len(ids)
