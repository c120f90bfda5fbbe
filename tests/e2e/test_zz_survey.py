import json
import pytest
from .conftest import _axe_in, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def report(page, name):
    v = _axe_in(page.main_frame, exclude_rules=(), exclude=())
    print(f"\n=== {name} {page.url} : {len(v)}")
    for x in v:
        print(" -", x["id"], x["impact"], x["help"])
        for n in x["nodes"][:5]:
            print("     ", n["target"], n["html"][:200])
            print("       ", (n["summary"] or "").replace("\n", " | ")[:300])
    for f in page.main_frame.child_frames:
        if f.url and f.url != "about:blank":
            try:
                fv = _axe_in(f, exclude_rules=(), exclude=())
            except Exception as e:
                print("frame err", e); continue
            print(f"  [frame {f.url}] {len(fv)}")
            for x in fv:
                print("   -", x["id"], x["impact"], x["help"], [n["target"] for n in x["nodes"][:5]])

def test_survey(site, new_page):
    page = new_page()
    for path in ["/"]:
        page.goto(site + path); report(page, path); shot(page, "survey" + path.replace("/", "_"))
    page.goto(site + "/konto/login/"); page.get_by_role("button", name="Log ind").click(); page.wait_for_load_state(); report(page, "login-empty")
    log_in(page, site, email="medarbejder.koege@forebyg.example")
    for path in ["/overblik/", "/kurser/forebyggelse-af-radikalisering/modul-1-radikaliseringsprocesser/",
                 "/kurser/forebyggelse-af-radikalisering/modul-1-radikaliseringsprocesser/tipping-point/",
                 "/kurser/forebyggelse-af-radikalisering/modul-1-radikaliseringsprocesser/radikalisering-kan-vendes/",
                 "/kurser/forebyggelse-af-radikalisering/modul-2-bekymringstegn/naar-et-menneske-forandrer-sig/",
                 "/kurser/forebyggelse-af-radikalisering/modul-3-forebyggelsestrekanten/tre-niveauer-et-faelles-sprog/",
                 "/kurser/forebyggelse-af-radikalisering/modul-1-radikaliseringsprocesser/tjek-din-viden/",
                 "/kurser/forebyggelse-af-radikalisering/afsluttende-proeve/", "/kurser/lokal-organisation-koege/", "/certificates/"]:
        page.goto(site + path); page.wait_for_timeout(500); report(page, path); shot(page, "survey" + path.replace("/", "_")[-40:])
    page2 = new_page()
    log_in(page2, site, email="koordinator.koege@forebyg.example", check=lambda p, s: report(p, "mfa"))
    for path in ["/koordinator/", "/koordinator/personer/", "/koordinator/paamindelser/", "/koordinator/medarbejdere/import/", "/certificates/coordinator/", "/quiz/indsigt/"]:
        page2.goto(site + path); report(page2, path); shot(page2, "survey" + path.replace("/", "_"))
    page3 = new_page()
    log_in(page3, site, email="ssp.koege@forebyg.example")
    for path in ["/klasse/", "/overblik/"]:
        page3.goto(site + path); report(page3, path); shot(page3, "survey-ssp" + path.replace("/", "_"))
