"""Demo content of the classroom: the eight decks in ``content/decks.json`` (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from .services import deck_create_from_json

DECKS_PATH = Path(__file__).resolve().parent / "content" / "decks.json"


@transaction.atomic
def demo_seed_decks(report) -> None:
    decks = json.loads(DECKS_PATH.read_text(encoding="utf-8"))
    created = sum(deck_create_from_json(data=data)[1] for data in decks)
    report.notes.append(f"Klasseforløb: {len(decks)} forløb ({created} nye). SSP-undervisere starter dem på /klasse/.")
