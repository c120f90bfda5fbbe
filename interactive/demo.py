"""Demo H5P activities: one knowledge check per module, built from courses/content/h5p.json with our own
H5P.ForebygCheck library and imported through the same checks as an upload. Idempotent."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import H5PActivity
from .packages import forebyg_check_content, h5p_package_build, h5p_temp_dir
from .services import h5p_activity_import, h5p_activity_package_install

H5P_DEMO_SOURCE = Path(settings.BASE_DIR) / "courses" / "content" / "h5p.json"


def demo_h5p_items() -> list[dict]:
    return json.loads(H5P_DEMO_SOURCE.read_text(encoding="utf-8"))


def demo_seed_h5p_activities(report) -> None:
    created = 0
    for item in demo_h5p_items():
        existing = H5PActivity.objects.filter(slug=item["slug"]).first()
        if existing is not None and existing.is_ready:
            continue
        content = forebyg_check_content(
            question=item["question_da"],
            answers=[
                {"text": a["text_da"], "correct": a["correct"], "feedback": a.get("feedback_da", "")}
                for a in item["answers"]
            ],
        )
        with tempfile.TemporaryDirectory(prefix="forebyg-h5p-demo-", dir=h5p_temp_dir()) as scratch:
            path = Path(scratch) / f"{item['slug']}.h5p"
            path.write_bytes(h5p_package_build(content=content, title=item["title_da"]))
            if existing is None:
                h5p_activity_import(path=path, title=item["title_da"], slug=item["slug"], at=timezone.now())
            else:
                # The course pages may have created the activity (by slug) before its package existed.
                h5p_activity_package_install(activity=existing, path=path, at=timezone.now())
        created += 1
    if created:
        report.notes.append(f"H5P: {created} videnstjek importeret (H5P.ForebygCheck).")
