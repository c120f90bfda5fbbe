"""The certificate as an accessible PDF: real text in an embedded Unicode font, title, language and a QR code.

Pure rendering: it gets everything it prints as arguments and returns bytes; no database access.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import qrcode
from fpdf import FPDF

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

_MONTHS = {
    "da": [
        "januar", "februar", "marts", "april", "maj", "juni",
        "juli", "august", "september", "oktober", "november", "december",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}  # fmt: skip

# The PDF is rendered in a task, outside any request, so its wording is fixed per language here
# rather than depending on the worker's active translation.
_TEXT = {
    "da": {
        "heading": "Kursusbevis",
        "intro": "Det bekræftes hermed, at",
        "completed": "har gennemført kurset",
        "municipality": "Kommune",
        "issued": "Udstedt",
        "expires": "Gyldigt til og med",
        "code": "Verifikationskode",
        "verify": "Kontrollér beviset på",
        "qr_alt": "QR-kode, der linker til kontrol af beviset: {url}",
        "subject": "Bevis for gennemført kursus: {course}",
        "keywords": "kursusbevis, forebyggelse af radikalisering",
        "footer": "Forebyg – træningsplatform for forebyggelse af radikalisering. Regelversion {rules}.",
        "no_name": "(navn ikke oplyst)",
    },
    "en": {
        "heading": "Certificate of completion",
        "intro": "This is to certify that",
        "completed": "has completed the course",
        "municipality": "Municipality",
        "issued": "Issued",
        "expires": "Valid until",
        "code": "Verification code",
        "verify": "Verify this certificate at",
        "qr_alt": "QR code linking to the verification of this certificate: {url}",
        "subject": "Certificate of completion: {course}",
        "keywords": "certificate, prevention of radicalisation",
        "footer": "Forebyg – training platform for preventing radicalisation. Rules version {rules}.",
        "no_name": "(name not given)",
    },
}


@dataclass(frozen=True)
class CertificatePdfData:
    learner_name: str
    course_title: str
    municipality_name: str
    issued_on: date
    expires_on: date
    code: str
    verification_url: str
    rules_version: str
    language: str = "da"


def format_date(value: date, language: str) -> str:
    months = _MONTHS.get(language, _MONTHS["da"])
    if language == "en":
        return f"{value.day} {months[value.month - 1]} {value.year}"
    return f"{value.day}. {months[value.month - 1]} {value.year}"


def qr_png(url: str) -> bytes:
    image = qrcode.make(url, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _latin1(text: str) -> str:
    """Core fonts only know latin-1 (which includes æøå); anything else becomes '?'."""
    return text.encode("latin-1", "replace").decode("latin-1")


def certificate_pdf_render(data: CertificatePdfData) -> bytes:
    language = data.language if data.language in _TEXT else "da"
    text = _TEXT[language]
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 20, 20)

    if all((DEJAVU_DIR / name).exists() for name in _FONT_FILES.values()):
        for style, name in _FONT_FILES.items():
            pdf.add_font("DejaVu", style, DEJAVU_DIR / name)
        family, clean = "DejaVu", str
    else:  # pragma: no cover – only on machines without Debian's fonts-dejavu-core
        family, clean = "Helvetica", _latin1

    name = data.learner_name.strip() or text["no_name"]
    pdf.set_title(clean(f"{text['heading']}: {data.course_title} – {name}"))
    pdf.set_lang(language)
    pdf.set_author("Forebyg")
    pdf.set_creator("Forebyg")
    pdf.set_subject(clean(text["subject"].format(course=data.course_title)))
    pdf.set_keywords(clean(text["keywords"]))
    pdf.set_display_mode(zoom="fullpage")
    pdf.add_page()

    width = pdf.epw
    pdf.set_draw_color(0, 89, 179)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    pdf.set_text_color(26, 26, 26)
    pdf.set_y(28)
    pdf.set_font(family, "B", 30)
    pdf.cell(width, 14, clean(text["heading"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, "", 14)
    pdf.cell(width, 8, clean(text["intro"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "B", 24)
    pdf.multi_cell(width, 12, clean(name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "", 14)
    pdf.cell(width, 8, clean(text["completed"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "B", 18)
    pdf.multi_cell(width, 10, clean(data.course_title), align="C", new_x="LMARGIN", new_y="NEXT")

    # Facts on the left, QR code on the right.
    top = 120
    pdf.set_y(top)
    pdf.set_font(family, "", 12)
    facts = [
        (text["municipality"], data.municipality_name or "–"),
        (text["issued"], format_date(data.issued_on, language)),
        (text["expires"], format_date(data.expires_on, language)),
        (text["code"], data.code),
    ]
    label_width = 52
    for label, value in facts:
        pdf.set_x(30)
        pdf.set_font(family, "B", 12)
        pdf.cell(label_width, 8, clean(f"{label}:"))
        pdf.set_font(family, "", 12)
        pdf.cell(150, 8, clean(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_x(30)
    pdf.set_font(family, "", 10)
    pdf.cell(label_width, 6, clean(f"{text['verify']}:"))
    pdf.set_text_color(0, 89, 179)
    pdf.cell(150, 6, clean(data.verification_url), link=data.verification_url, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(26, 26, 26)

    qr_size = 48
    pdf.image(
        io.BytesIO(qr_png(data.verification_url)),
        x=pdf.w - 30 - qr_size,
        y=top - 4,
        w=qr_size,
        h=qr_size,
        link=data.verification_url,
        alt_text=clean(text["qr_alt"].format(url=data.verification_url)),
    )

    pdf.set_y(pdf.h - 28)
    pdf.set_font(family, "", 9)
    pdf.set_text_color(69, 69, 69)
    pdf.cell(width, 6, clean(text["footer"].format(rules=data.rules_version or "–")), align="C")
    return bytes(pdf.output())
