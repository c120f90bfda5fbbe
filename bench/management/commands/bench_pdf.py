"""Bulk certificate PDF rate: the render service over N certificates in one process (one core)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Måler hvor mange kursusbeviser (PDF) der renderes pr. sekund pr. kerne."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=60)
        parser.add_argument("--out", default="var/bench/pdf.json")

    def handle(self, *args, **options) -> None:
        from certificates.models import Certificate
        from certificates.services import certificate_render_pdf

        count = options["count"]
        ids = list(Certificate.objects.order_by("pk").values_list("pk", flat=True)[: count + 1])
        if len(ids) < 2:
            raise CommandError("For få beviser: kør generate_bench_data først.")
        # As issued: PDF pending, so the service renders, stores the file and marks it done.
        Certificate.objects.filter(pk__in=ids).update(pdf="", pdf_status=Certificate.PdfStatus.PENDING)
        certificate_render_pdf(certificate_id=ids[0])  # warm (fonts, imports)
        sizes = []
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for certificate_id in ids[1:]:
            certificate = certificate_render_pdf(certificate_id=certificate_id)
            if certificate is None or certificate.pdf_status != Certificate.PdfStatus.DONE:
                raise CommandError(f"Bevis {certificate_id} blev ikke renderet.")
            sizes.append(certificate.pdf.size)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        result = {
            "certificates": len(sizes),
            "wall_s": round(wall, 3),
            "cpu_s": round(cpu, 3),
            "per_second_per_core": round(len(sizes) / wall, 2),  # one single-threaded process: at most one core
            "per_cpu_second": round(len(sizes) / cpu, 2) if cpu else None,
            "mean_pdf_bytes": round(sum(sizes) / len(sizes)),
            "cores": os.cpu_count(),
        }
        Path(options["out"]).write_text(json.dumps(result, indent=2), encoding="utf-8")
        self.stdout.write(f"  {result['certificates']} PDF'er: {result['per_second_per_core']} pr. sekund pr. kerne")
