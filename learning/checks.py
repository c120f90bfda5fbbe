"""System checks of the routing directory: every municipality must have the contacts its routing needs."""

from __future__ import annotations

from django.core.checks import CheckMessage, Error, register
from django.db import DatabaseError

from .rules import ACTIONS, Directory, DirectoryError


@register("learning")
def check_directory_contacts(app_configs=None, **kwargs) -> list[CheckMessage]:
    """``learning.E001`` for each municipality whose procedure can route to an action it has no contact for.

    Skipped silently while the database is not migrated (no tables or columns yet).
    """
    from .directory import directory_rows

    try:
        data = directory_rows(include_without_contacts=True)
    except DatabaseError:
        # OperationalError / ProgrammingError before `migrate`: nothing to check yet.
        return []
    errors: list[CheckMessage] = []
    for entry in data["municipalities"]:
        try:
            directory = Directory.from_dict({"municipalities": [entry]})
        except DirectoryError as error:
            errors.append(
                Error(
                    f"Kommunen {entry['name']} ({entry['slug']}) har ugyldige kontaktdata: {error}",
                    hint="Ret kommunens kontaktpunkter i Wagtail-administrationen under Kommuner.",
                    obj=entry["slug"],
                    id="learning.E001",
                )
            )
            continue
        missing = directory.missing_contacts(entry["slug"])
        if missing:
            errors.append(
                Error(
                    f"Kommunen {entry['name']} ({entry['slug']}) mangler kontaktpunkter for: "
                    + ", ".join(f"{code} ({ACTIONS[code].label_da})" for code in missing),
                    hint="Tilføj kontaktpunkterne i Wagtail-administrationen under Kommuner "
                    "(eller importér kommunens katalog med learning.directory.directory_import).",
                    obj=entry["slug"],
                    id="learning.E001",
                )
            )
    return errors
