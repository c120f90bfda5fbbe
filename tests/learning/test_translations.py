"""The English catalogue (locale/en): complete, compiled, in step with the source, and used under /en/.

Danish is the source language, so without this catalogue every /en/ page shows Danish UI text.
The tests need no gettext tools: a fresh machine has only Python, so the .po is read by a small parser
here, the committed .mo by Python's own gettext module, and the source strings are found the way
`makemessages` finds them (Django's templatize for templates, the same keywords for Python).
"""

import ast
import gettext
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation.template import templatize

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE_DIR = BASE_DIR / "locale" / "en" / "LC_MESSAGES"
PO_PATH = CATALOGUE_DIR / "django.po"
MO_PATH = CATALOGUE_DIR / "django.mo"


@dataclass(frozen=True)
class PoEntry:
    context: str | None
    msgid: str
    msgid_plural: str | None
    msgstrs: tuple[str, ...]  # msgstr, or msgstr[0], msgstr[1], ... for a plural entry
    flags: frozenset[str]
    line: int

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


def _po_string(quoted: str) -> str:
    # PO strings use C escapes (\n, \t, \", \\), which read the same as a Python string literal.
    return ast.literal_eval(quoted)


def po_entries(path: Path) -> list[PoEntry]:
    """Every entry of a .po file, the header (msgid "") included; obsolete (#~) entries are left out."""
    entries: list[PoEntry] = []
    fields: dict[str, str] = {}
    flags: set[str] = set()
    current: str | None = None
    start = 0

    def finish() -> None:
        if "msgid" in fields:
            plural_forms = sorted((k for k in fields if k.startswith("msgstr[")), key=lambda k: int(k[7:-1]))
            entries.append(
                PoEntry(
                    context=fields.get("msgctxt"),
                    msgid=fields["msgid"],
                    msgid_plural=fields.get("msgid_plural"),
                    msgstrs=tuple(fields[k] for k in plural_forms) or (fields.get("msgstr", ""),),
                    flags=frozenset(flags),
                    line=start,
                )
            )
        fields.clear()
        flags.clear()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            current = None
        elif line.startswith("#,"):
            flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert current is not None, f"{path}:{number}: a string continues no keyword"
            fields[current] += _po_string(line)
        else:
            keyword, _, value = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in fields):
                finish()  # a new entry without a blank line before it
            if not fields:
                start = number
            current = keyword
            fields[keyword] = _po_string(value)
    finish()
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[PoEntry]:
    entries = po_entries(PO_PATH)
    assert entries[0].msgid == "", "the catalogue starts with its header"
    return entries


def _messages(catalogue: list[PoEntry]) -> list[PoEntry]:
    return catalogue[1:]


# --- (a) the catalogue is complete ----------------------------------------------------------------------


def test_header_declares_english_with_two_plural_forms(catalogue):
    header = catalogue[0]
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstrs[0]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header.msgstrs[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstrs[0]


def test_parser_reads_plain_plural_and_context_entries(catalogue):
    by_key = {entry.key: entry for entry in _messages(catalogue)}
    assert by_key[(None, "Log ind")].msgstrs == ("Log in",)
    assert by_key[("kolonneoverskrift", "Kritisk fejl")].msgstrs == ("Critical error",)
    plural = by_key[(None, "Kritisk fejl")]
    assert plural.msgid_plural == "Kritiske fejl"
    assert plural.msgstrs == ("Critical error", "Critical errors")


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    untranslated = [
        f"line {entry.line}: {entry.msgid!r}"
        for entry in _messages(catalogue)
        if not all(entry.msgstrs) or (entry.msgid_plural is not None and len(entry.msgstrs) != 2)
    ]
    fuzzy = [f"line {entry.line}: {entry.msgid!r}" for entry in catalogue if "fuzzy" in entry.flags]
    assert not untranslated, "translate these in locale/en/LC_MESSAGES/django.po:\n" + "\n".join(untranslated)
    assert not fuzzy, "check and unflag these fuzzy entries:\n" + "\n".join(fuzzy)


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|%%|\{\w*(?::[^{}]*)?\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def test_translations_keep_placeholders_and_html_tags(catalogue):
    # A lost or renamed %(name)s makes the page crash in English only; a lost tag breaks the markup.
    broken = []
    for entry in _messages(catalogue):
        sources = [entry.msgid] + (
            [entry.msgid_plural] * (len(entry.msgstrs) - 1) if entry.msgid_plural else []
        )
        for source, translation in zip(sources, entry.msgstrs, strict=True):
            for pattern in (PLACEHOLDER, HTML_TAG):
                if sorted(pattern.findall(source)) != sorted(pattern.findall(translation)):
                    broken.append(f"line {entry.line}: {source!r} -> {translation!r}")
    assert not broken, "\n".join(broken)


# --- (b) the committed .mo is compiled from this .po ----------------------------------------------------


def test_compiled_catalogue_matches_the_po(catalogue):
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    out_of_date = []
    for entry in _messages(catalogue):
        if entry.msgid_plural is not None:
            got = tuple(
                compiled.npgettext(entry.context, entry.msgid, entry.msgid_plural, n)
                if entry.context is not None
                else compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                for n in (1, 2)
            )
        elif entry.context is not None:
            got = (compiled.pgettext(entry.context, entry.msgid),)
        else:
            got = (compiled.gettext(entry.msgid),)
        if got != entry.msgstrs:
            out_of_date.append(f"{entry.msgid!r}: .mo has {got!r}, .po has {entry.msgstrs!r}")
    assert not out_of_date, (
        "run `manage.py compilemessages -l en --ignore=.venv` and commit django.mo:\n"
        + "\n".join(out_of_date)
    )


# --- (c) every string the source marks for translation is in the catalogue ------------------------------

# What `makemessages` passes to xgettext for Python (and xgettext's own default `_`/gettext/ngettext):
# the name, then which arguments are (context, singular, plural).
PYTHON_KEYWORDS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
# makemessages' own ignores plus the ones the catalogue is generated with (see the module docstring).
IGNORED_DIRECTORIES = {"node_modules", "var", "__pycache__", "CVS"}
INSIDE_F_STRING = "(inside an f-string, which makemessages cannot read: move the gettext call out of it)"
TEMPLATIZED_CALL = re.compile(
    r"(?<![\w])(_|gettext|pgettext|ngettext|npgettext)\(\s*"
    r"""((?:u?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")\s*,?\s*)+)"""
)
TEMPLATIZED_STRING = re.compile(r"""u?('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")""")


def _source_files() -> list[Path]:
    found = []
    for directory, subdirectories, files in os.walk(BASE_DIR):
        subdirectories[:] = [
            name for name in subdirectories if not name.startswith(".") and name not in IGNORED_DIRECTORIES
        ]
        found += [Path(directory) / name for name in files if name.endswith((".py", ".html", ".txt"))]
    return sorted(found)


def _call_message(call: ast.Call) -> tuple[str | None, str] | None:
    name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
    if name not in PYTHON_KEYWORDS:
        return None
    context_at, singular_at, _plural_at = PYTHON_KEYWORDS[name]
    needed = [i for i in (context_at, singular_at) if i is not None]
    if len(call.args) <= max(needed):
        return None
    if not all(
        isinstance(call.args[i], ast.Constant) and isinstance(call.args[i].value, str) for i in needed
    ):
        return None  # only string literals are extracted
    context = call.args[context_at].value if context_at is not None else None
    return (context, call.args[singular_at].value) if call.args[singular_at].value else None


def _python_messages(source: str) -> set[tuple[str | None, str]]:
    messages = set()

    def visit(node: ast.AST, in_f_string: bool) -> None:
        in_f_string = in_f_string or isinstance(node, ast.JoinedStr)
        if isinstance(node, ast.Call) and (found := _call_message(node)):
            # xgettext does not look inside f-strings, so such a call is never extracted (nor translated).
            messages.add((INSIDE_F_STRING, found[1]) if in_f_string else found)
        for child in ast.iter_child_nodes(node):
            visit(child, in_f_string)

    visit(ast.parse(source), False)
    return messages


def _template_messages(source: str, origin: str) -> set[tuple[str | None, str]]:
    messages = set()
    for match in TEMPLATIZED_CALL.finditer(templatize(source, origin=origin)):
        args = [ast.literal_eval(s) for s in TEMPLATIZED_STRING.findall(match[2])]
        context, singular = (args[0], args[1]) if match[1] in ("pgettext", "npgettext") else (None, args[0])
        if singular:
            messages.add((context, singular))
    return messages


def source_messages() -> dict[tuple[str | None, str], str]:
    """Every (context, msgid) the source marks for translation, with the first file that uses it."""
    messages: dict[tuple[str | None, str], str] = {}
    for path in _source_files():
        source = path.read_text(encoding="utf-8")
        relative = str(path.relative_to(BASE_DIR))
        if path.suffix == ".py":
            found = _python_messages(source)
        elif "{%" in source or "_(" in source:
            found = _template_messages(source, relative)
        else:
            found = set()
        for key in found:
            messages.setdefault(key, relative)
    return messages


def test_source_scan_finds_python_template_and_context_strings():
    messages = source_messages()
    assert messages[(None, "Beviser")] == "certificates/apps.py"  # gettext_lazy in Python
    assert (None, "Log ind") in messages  # {% translate %}
    assert (None, "Kritisk fejl") in messages  # {% blocktranslate count %}
    assert messages[("kolonneoverskrift", "Kritisk fejl")] == "templates/quizzes/includes/insight_rows.html"


def test_every_source_string_is_in_the_catalogue(catalogue):
    in_catalogue = {entry.key for entry in _messages(catalogue)}
    missing = sorted(
        f"{where}: {msgid!r}"
        + (f" {context}" if context == INSIDE_F_STRING else f" (context {context!r})" if context else "")
        for (context, msgid), where in source_messages().items()
        if (context, msgid) not in in_catalogue
    )
    assert not missing, (
        "run `manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=.tools "
        "--ignore=var --no-obsolete`, translate the new entries and compile:\n" + "\n".join(missing)
    )


# --- (d) the pages use it -------------------------------------------------------------------------------


@pytest.fixture
def site_with_guide(demo_site):
    from learning.demo import demo_seed_concern_guide

    demo_seed_concern_guide(demo_site)
    return demo_site


PAGES = [
    pytest.param(
        "/",
        ["Home</a>", "Concern guide</a>", "Log in</a>", "Skip to content", "Accessibility statement"],
        [
            "Forside</a>",
            "Bekymringsguide</a>",
            "Log ind</a>",
            "Gå til sidens indhold",
            "Tilgængelighedserklæring",
        ],
        id="home",
    ),
    pytest.param(
        "/bekymringsguide/",
        ["What have you seen?", "See what you should do", "Print the answer", "Concern guide</a>"],
        ["Hvad har du set?", "Se hvad du skal gøre", "Udskriv svaret", "Bekymringsguide</a>"],
        id="concern-guide",
    ),
    pytest.param(
        "/konto/login/",
        ["Forgotten your password?", "Log in with the e-mail address your municipality invited you with."],
        ["Glemt din adgangskode?", "Log ind med den e-mail, din kommune har inviteret dig med."],
        id="login",
    ),
    pytest.param(
        "/certificates/verify/",
        ["Verify a course certificate", "Verification code", ">Verify</button>"],
        ["Kontrollér et kursusbevis", "Verifikationskode", ">Kontrollér</button>"],
        id="verification",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "english", "danish"), PAGES)
def test_english_pages_show_english_ui_text_and_danish_pages_stay_danish(
    site_with_guide, path, english, danish
):
    client = Client()
    english_html = client.get("/en" + path).content.decode()
    assert '<html lang="en">' in english_html
    assert [text for text in english if text not in english_html] == []
    assert [text for text in danish if text in english_html] == []

    danish_html = client.get(path).content.decode()
    assert '<html lang="da">' in danish_html
    assert [text for text in danish if text not in danish_html] == []
    assert [text for text in english if text in danish_html] == []
