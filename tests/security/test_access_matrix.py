"""The access-control matrix: every URL of the site and the admin, for seven actors.

Actors (the demo's people, logged in through allauth; the privileged ones pass the second factor):
anon = not logged in · learner = medarbejder (Køge) · ssp = SSP teacher (Køge) · editor = redaktør ·
coord_a = coordinator of municipality A (Køge) · coord_b = coordinator of municipality B (Ishøj) ·
admin = administrator (superuser).

Every object a URL names belongs to municipality A ({..._a}), so the coord_b column is "coordinator B tries
A's objects": it must be 404, never 403, wherever coordinator A gets in (nothing about A's objects leaks,
not even that they exist). Outcomes: a status code, ``login`` = redirect to a login page, ``home`` = the
Wagtail admin's "permission denied" (redirect to its dashboard with a message), ``302`` = any other
redirect.

What is expected, and why:
* Learner pages (overview, courses, quizzes, own certificates, own data) need a login; every role learns.
* Coordinator pages need the coordinator role *and* an own municipality; other roles get 403 (they hold no
  object there), the administrator included (administrators keep the national overview and the admin).
* Certificates: public verification and Open Badges by code, by design (a holder shows the code); the PDF
  is the owner's or their municipality's coordinator's, anyone else gets 404.
* Classroom: SSP teachers (``learning.run_classroom``; the superuser has every permission) see their own
  sessions; someone else's session is 404. Pupils are anonymous and hold a signed cookie per session
  (nobody in this matrix has one: their session page sends them to the join page, their poll is 403).
* H5P: the signed playback token is the authorisation (the sandboxed player sends no cookies); the player
  page refuses a token that names someone other than the signed-in user with the same 403 as a bad token.
* Wagtail admin (``learning.roles.ROLE_PERMISSIONS``): no ``wagtailadmin.access_admin`` (learner, SSP
  teacher) → login; editors get pages, images, documents, scenarios, decks and H5P; coordinators hold
  ``access_admin`` only for the admin's menu entry to their certificates, so every admin section answers
  them Wagtail's ``home`` denial; "Kommuner", departments, targets, users, groups, sites and the other
  settings are the administrator's. The Django admin is for the administrator (``is_staff``) only.
  Wagtail opens some lists to anyone with admin access and filters them to what the user may see (site
  history, the pages API, the image and document choosers: empty for coordinators, see the test at the
  end), and its page, scenario and municipality choosers list course content and the public directory
  (editors need the municipality chooser for scenarios and local organisation pages). The department
  and training-target choosers list municipal data: they need a permission on the model
  (``learning.wagtail_choosers``). The snippets index is empty for everyone (each snippet has its own
  menu entry), so Wagtail answers it with ``home``.
* Every login form goes through allauth (rate limits, second factor): Wagtail's own login forms
  (/admin/login/, /_util/login/) and Django's admin login forward to it.
* Documents are served by Wagtail to anyone who has the link (no collection privacy is set); they are
  editorial material, never personal data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from learning.demo import DEMO_PASSWORD

from .access_world import (
    ACTORS,
    ADMINISTRATOR,
    ANONYMOUS,
    COORDINATOR_A,
    COORDINATOR_B,
    EDITOR,
    LEARNER,
    LOGIN,
    ROUTE_INPUT,
    XAPI_STATEMENT,
    World,
    client_for,
    fetch,
    matches_any,
    outcome_of,
    resolver_routes,
    sample_path,
    world_build,
    world_login,
)
from .helpers import is_logged_in

# name                              | method      | path                                                  | anon  | learner | ssp   | editor | coord_a | coord_b | admin
SITE_MATRIX = """
# --- accounts (allauth) and the learner's own pages ---
account_login                       | GET         | /konto/login/                                         | 200   | 302     | 302   | 302    | 302     | 302     | 302
account_logout                      | GET         | /konto/logout/                                        | 302   | 200     | 200   | 200    | 200     | 200     | 200
account_logout                      | POST        | /konto/logout/                                        | 302   | 302     | 302   | 302    | 302     | 302     | 302
account_inactive                    | GET         | /konto/inactive/                                      | 200   | 200     | 200   | 200    | 200     | 200     | 200
account_signup                      | GET         | /konto/signup/                                        | 200   | 302     | 302   | 302    | 302     | 302     | 302
account_reauthenticate              | GET         | /konto/reauthenticate/                                | login | 200     | 200   | 200    | 200     | 200     | 200
account_email                       | GET         | /konto/email/                                         | login | 200     | 200   | 200    | 200     | 200     | 200
account_email_verification_sent     | GET         | /konto/confirm-email/                                 | 200   | 200     | 200   | 200    | 200     | 200     | 200
account_confirm_email               | GET         | /konto/confirm-email/ugyldig-noegle/                  | 200   | 200     | 200   | 200    | 200     | 200     | 200
account_change_password             | GET         | /konto/password/change/                               | login | 200     | 200   | 200    | 200     | 200     | 200
account_set_password                | GET         | /konto/password/set/                                  | login | 302     | 302   | 302    | 302     | 302     | 302
account_reset_password              | GET         | /konto/password/reset/                                | 200   | 200     | 200   | 200    | 200     | 200     | 200
account_reset_password_done         | GET         | /konto/password/reset/done/                           | 200   | 200     | 200   | 200    | 200     | 200     | 200
account_reset_password_from_key     | GET         | /konto/password/reset/key/1-ugyldig/                  | 200   | 200     | 200   | 200    | 200     | 200     | 200
account_reset_password_from_key_done| GET         | /konto/password/reset/key/done/                       | 200   | 200     | 200   | 200    | 200     | 200     | 200
account_confirm_login_code          | GET         | /konto/login/code/confirm/                            | login | 302     | 302   | 302    | 302     | 302     | 302
mfa_index                           | GET         | /konto/2fa/                                           | login | 200     | 200   | 200    | 200     | 200     | 200
mfa_authenticate                    | GET         | /konto/2fa/authenticate/                              | login | 302     | 302   | 302    | 302     | 302     | 302
mfa_reauthenticate                  | GET         | /konto/2fa/reauthenticate/                            | login | 302     | 302   | 200    | 200     | 200     | 200
mfa_activate_totp                   | GET         | /konto/2fa/totp/activate/                             | login | 302     | 302   | 302    | 302     | 302     | 302
mfa_deactivate_totp                 | GET         | /konto/2fa/totp/deactivate/                           | login | 404     | 404   | 302    | 302     | 302     | 302
mfa_view_recovery_codes             | GET         | /konto/2fa/recovery-codes/                            | login | 404     | 404   | 302    | 302     | 302     | 302
mfa_generate_recovery_codes         | GET         | /konto/2fa/recovery-codes/generate/                   | login | 302     | 302   | 302    | 302     | 302     | 302
mfa_download_recovery_codes         | GET         | /konto/2fa/recovery-codes/download/                   | login | 404     | 404   | 302    | 302     | 302     | 302
socialaccount_login_cancelled       | GET         | /konto/3rdparty/login/cancelled/                      | 200   | 200     | 200   | 200    | 200     | 200     | 200
socialaccount_login_error           | GET         | /konto/3rdparty/login/error/                          | 401   | 401     | 401   | 401    | 401     | 401     | 401
socialaccount_signup                | GET         | /konto/3rdparty/signup/                               | login | login   | login | login  | login   | login   | login
socialaccount_connections           | GET         | /konto/3rdparty/                                      | login | 200     | 200   | 200    | 200     | 200     | 200
konto/social/login/cancelled/       | GET         | /konto/social/login/cancelled/                        | 301   | 301     | 301   | 301    | 301     | 301     | 301
konto/social/login/error/           | GET         | /konto/social/login/error/                            | 301   | 301     | 301   | 301    | 301     | 301     | 301
konto/social/signup/                | GET         | /konto/social/signup/                                 | 301   | 301     | 301   | 301    | 301     | 301     | 301
konto/social/connections/           | GET         | /konto/social/connections/                            | 301   | 301     | 301   | 301    | 301     | 301     | 301
openid_connect_login                | GET         | /konto/oidc/ukendt/login/                             | 404   | 404     | 404   | 404    | 404     | 404     | 404
openid_connect_callback             | GET         | /konto/oidc/ukendt/login/callback/                    | 404   | 404     | 404   | 404    | 404     | 404     | 404
usersessions_list                   | GET         | /konto/sessions/                                      | login | 200     | 200   | 200    | 200     | 200     | 200
my_data                             | GET         | /konto/mine-data/                                     | login | 200     | 200   | 200    | 200     | 200     | 200
my_data                             | POST        | /konto/mine-data/                                     | login | 405     | 405   | 405    | 405     | 405     | 405
dashboard                           | GET         | /overblik/                                            | login | 200     | 200   | 200    | 200     | 200     | 200
set_language                        | POST:lang   | /i18n/setlang/                                        | 302   | 302     | 302   | 302    | 302     | 302     | 302
route_concern_api                   | JSON:route  | /api/route/                                           | 200   | 200     | 200   | 200    | 200     | 200     | 200
route_concern_api                   | GET         | /api/route/                                           | 405   | 405     | 405   | 405    | 405     | 405     | 405
# --- Wagtail pages (one row per page type) ---
wagtail_serve                       | GET         | /                                                     | 200   | 200     | 200   | 200    | 200     | 200     | 200
wagtail_serve                       | GET         | /en/                                                  | 200   | 200     | 200   | 200    | 200     | 200     | 200
wagtail_serve                       | GET         | /tilgaengelighedserklaering/                          | 200   | 200     | 200   | 200    | 200     | 200     | 200
wagtail_serve                       | GET         | /bekymringsguide/                                     | 200   | 200     | 200   | 200    | 200     | 200     | 200
wagtail_serve                       | GET         | {index_url}                                           | login | 200     | 200   | 200    | 200     | 200     | 200
wagtail_serve                       | GET         | {course_url}                                          | login | 200     | 200   | 200    | 200     | 200     | 200
wagtail_serve                       | GET         | {module_url}                                          | login | 200     | 200   | 200    | 200     | 200     | 200
wagtail_serve                       | GET         | {lesson_url}                                          | login | 200     | 200   | 200    | 200     | 200     | 200
wagtail_serve                       | GET         | {local_url}                                           | login | 200     | 200   | 200    | 200     | 200     | 200
wagtail_serve                       | GET         | {quiz_url}                                            | login | 200     | 200   | 200    | 200     | 200     | 200
wagtail_serve                       | GET         | {final_url}                                           | login | 200     | 200   | 200    | 200     | 200     | 200
wagtail_serve                       | GET         | {final_url}?resultat={attempt_a}                      | login | 200     | 404   | 404    | 404     | 404     | 404
wagtail_serve                       | GET         | /findes-ikke/                                         | 404   | 404     | 404   | 404    | 404     | 404     | 404
# Wagtail's private-page login form (wagtailcore_login) is shadowed by the forward to allauth.
wagtailcore_login                   | GET         | /_util/login/                                         | login | login   | login | login  | login   | login   | login
wagtailcore_login_to_allauth        | GET         | /_util/login/                                         | login | login   | login | login  | login   | login   | login
wagtailcore_authenticate_with_password | GET      | /_util/authenticate_with_password/999999/{home_id}/   | 404   | 404     | 404   | 404    | 404     | 404     | 404
wagtaildocs_serve                   | GET         | /documents/{document_id}/{document_file}              | 200   | 200     | 200   | 200    | 200     | 200     | 200
wagtaildocs_authenticate_with_password | GET      | /documents/authenticate_with_password/999999/         | 404   | 404     | 404   | 404    | 404     | 404     | 404
# --- courses, quizzes ---
courses:lesson_mark_complete        | POST        | /kurser/lektion/{lesson_id}/gennemfoert/              | login | 302     | 302   | 302    | 302     | 302     | 302
courses:lesson_mark_complete        | GET         | /kurser/lektion/{lesson_id}/gennemfoert/              | login | 405     | 405   | 405    | 405     | 405     | 405
quizzes:practice_answer             | GET         | /quiz/oevelse/{scenario_id}/?lektion={lesson_id}      | login | 200     | 200   | 200    | 200     | 200     | 200
quizzes:scoring_help                | GET         | /quiz/pointgivning/                                   | 200   | 200     | 200   | 200    | 200     | 200     | 200
quizzes:insight                     | GET         | /quiz/indsigt/                                        | login | 403     | 403   | 403    | 302     | 302     | 403
quizzes:insight_municipality        | GET         | /quiz/indsigt/{municipality_a_slug}/                  | login | 403     | 403   | 403    | 200     | 404     | 403
# --- H5P (the token names learner A) ---
interactive:play                    | GET         | /h5p/play/{h5p_token}/                                | 200   | 200     | 403   | 403    | 403     | 403     | 403
interactive:play                    | GET         | /h5p/play/ugyldig/                                    | 403   | 403     | 403   | 403    | 403     | 403     | 403
interactive:content                 | GET         | /h5p/play/{h5p_token}/content/h5p.json                | 200   | 200     | 200   | 200    | 200     | 200     | 200
interactive:content                 | GET         | /h5p/play/ugyldig/content/h5p.json                    | 403   | 403     | 403   | 403    | 403     | 403     | 403
interactive:xapi                    | JSON:xapi   | /h5p/xapi/{h5p_token}/                                | 201   | 201     | 201   | 201    | 201     | 201     | 201
interactive:xapi                    | JSON:xapi   | /h5p/xapi/ugyldig/                                    | 403   | 403     | 403   | 403    | 403     | 403     | 403
interactive:xapi                    | GET         | /h5p/xapi/{h5p_token}/                                | 405   | 405     | 405   | 405    | 405     | 405     | 405
# --- certificates (learner A's certificate, A's export) ---
certificates:mine                   | GET         | /certificates/                                        | login | 200     | 200   | 200    | 200     | 200     | 200
certificates:verify_form            | GET         | /certificates/verify/                                 | 200   | 200     | 200   | 200    | 200     | 200     | 200
certificates:verify                 | GET         | /certificates/verify/{certificate_a}/                 | 200   | 200     | 200   | 200    | 200     | 200     | 200
certificates:badge_json             | GET         | /certificates/badge/{certificate_a}.json              | 200   | 200     | 200   | 200    | 200     | 200     | 200
certificates:badge_jwt              | GET         | /certificates/badge/{certificate_a}.jwt               | 200   | 200     | 200   | 200    | 200     | 200     | 200
certificates:issuer                 | GET         | /certificates/issuer.json                             | 200   | 200     | 200   | 200    | 200     | 200     | 200
certificates:jwks                   | GET         | /certificates/.well-known/jwks.json                   | 200   | 200     | 200   | 200    | 200     | 200     | 200
certificates:pdf                    | GET         | /certificates/{certificate_a}/pdf/                    | login | 200     | 404   | 404    | 200     | 404     | 404
certificates:refresher              | POST        | /certificates/{certificate_a}/refresher/              | login | 302     | 404   | 404    | 404     | 404     | 404
certificates:refresher              | GET         | /certificates/{certificate_a}/refresher/              | login | 405     | 405   | 405    | 405     | 405     | 405
certificates:coordinator            | GET         | /certificates/coordinator/                            | login | 403     | 403   | 403    | 200     | 200     | 403
certificates:coordinator            | GET         | /certificates/coordinator/?afdeling={department_a}    | login | 403     | 403   | 403    | 200     | 404     | 403
certificates:revoke                 | GET         | /certificates/coordinator/{certificate_a}/revoke/     | login | 403     | 403   | 403    | 200     | 404     | 403
certificates:revoke                 | POST:revoke | /certificates/coordinator/{certificate_a}/revoke/     | login | 403     | 403   | 403    | 302     | 404     | 403
certificates:export                 | GET         | /certificates/coordinator/exports/{export_a}/         | login | 403     | 403   | 403    | 200     | 404     | 403
certificates:export_download        | GET         | /certificates/coordinator/exports/{export_a}/download/ | login | 403    | 403   | 403    | 200     | 404     | 403
# --- classroom: teacher (a session of SSP teacher A) and pupils (no participant cookie) ---
classroom:deck_list                 | GET         | /klasse/                                              | login | 403     | 200   | 403    | 403     | 403     | 200
classroom:deck_detail               | GET         | /klasse/forloeb/{deck_slug}/                          | login | 403     | 200   | 403    | 403     | 403     | 200
classroom:deck_start                | POST        | /klasse/forloeb/{deck_slug}/start/                    | login | 403     | 302   | 403    | 403     | 403     | 302
classroom:deck_start                | GET         | /klasse/forloeb/{deck_slug}/start/                    | login | 403     | 405   | 403    | 403     | 403     | 405
classroom:projector                 | GET         | /klasse/session/{session_id}/                         | login | 403     | 200   | 403    | 403     | 403     | 404
classroom:projector_poll            | GET         | /klasse/session/{session_id}/tilstand/                | login | 403     | 200   | 403    | 403     | 403     | 404
classroom:control                   | POST:lock   | /klasse/session/{session_id}/styring/                 | login | 403     | 302   | 403    | 403     | 403     | 404
classroom:remove_participant        | POST        | /klasse/session/{session_id}/deltagere/{participant_id}/fjern/ | login | 403 | 302 | 403 | 403 | 403     | 404
classroom:qr                        | GET         | /klasse/session/{session_id}/qr.svg                   | login | 403     | 200   | 403    | 403     | 403     | 404
classroom:results_json              | GET         | /klasse/session/{session_id}/resultater.json          | login | 403     | 200   | 403    | 403     | 403     | 404
classroom_pupil:join                | GET         | /deltag/                                              | 200   | 200     | 200   | 200    | 200     | 200     | 200
classroom_pupil:join                | POST        | /deltag/                                              | 200   | 200     | 200   | 200    | 200     | 200     | 200
classroom_pupil:session             | GET         | /deltag/s/{session_id}/                               | 302   | 302     | 302   | 302    | 302     | 302     | 302
classroom_pupil:poll                | GET         | /deltag/s/{session_id}/tilstand/                      | 403   | 403     | 403   | 403    | 403     | 403     | 403
classroom_pupil:vote                | POST        | /deltag/s/{session_id}/stem/                          | 302   | 302     | 302   | 302    | 302     | 302     | 302
classroom_pupil:vote                | GET         | /deltag/s/{session_id}/stem/                          | 405   | 405     | 405   | 405    | 405     | 405     | 405
# --- coverage (coordinators; A's target, report and roster upload) ---
coverage:dashboard                  | GET         | /koordinator/                                         | login | 403     | 403   | 403    | 200     | 200     | 403
coverage:dashboard                  | GET         | /koordinator/?target={target_a}                       | login | 403     | 403   | 403    | 200     | 404     | 403
coverage:people                     | GET         | /koordinator/personer/?target={target_a}              | login | 403     | 403   | 403    | 200     | 404     | 403
coverage:people                     | GET         | /koordinator/personer/?target={target_a}&department={department_a} | login | 403 | 403 | 403 | 200 | 404   | 403
coverage:export_figures             | GET         | /koordinator/eksport/tal/?target={target_a}&format=csv | login | 403    | 403   | 403    | 200     | 404     | 403
coverage:export_figures             | GET         | /koordinator/eksport/tal/?target={target_a}&format=xlsx | login | 403   | 403   | 403    | 200     | 404     | 403
coverage:export_people              | GET         | /koordinator/eksport/personer/?target={target_a}&format=csv | login | 403 | 403  | 403    | 200     | 404     | 403
coverage:report_create              | POST        | /koordinator/rapporter/?target={target_a}             | login | 403     | 403   | 403    | 302     | 404     | 403
coverage:report_create              | GET         | /koordinator/rapporter/?target={target_a}             | 405   | 405     | 405   | 405    | 405     | 405     | 405
coverage:report                     | GET         | /koordinator/rapporter/{report_a}/                    | login | 403     | 403   | 403    | 200     | 404     | 403
coverage:report                     | GET         | /koordinator/rapporter/{report_a}/?format=json        | login | 403     | 403   | 403    | 200     | 404     | 403
coverage:report_download            | GET         | /koordinator/rapporter/{report_a}/hent/               | login | 403     | 403   | 403    | 200     | 404     | 403
coverage:roster_upload              | GET         | /koordinator/medarbejdere/import/                     | login | 403     | 403   | 403    | 200     | 200     | 403
coverage:roster_preview             | GET         | /koordinator/medarbejdere/import/{upload_a}/          | login | 403     | 403   | 403    | 200     | 404     | 403
coverage:reminder_settings          | GET         | /koordinator/paamindelser/                            | login | 403     | 403   | 403    | 200     | 200     | 403
coverage:national                   | GET         | /koordinator/national/                                | login | 403     | 403   | 403    | 403     | 403     | 200
# --- benchmark references (only mounted with BENCH_REFERENCES=1, for `make bench`) ---
bench:ceiling                       | GET         | /bench/ceiling/                                       | 200   | 200     | 200   | 200    | 200     | 200     | 200
bench:insert                        | POST        | /bench/insert/                                        | 201   | 201     | 201   | 201    | 201     | 201     | 201
bench:insert_json                   | JSON:route  | /bench/insert-json/                                   | 201   | 201     | 201   | 201    | 201     | 201     | 201
"""

# Sampled per role: each admin section's index and edit page (the sweep below covers every admin URL).
ADMIN_MATRIX = """
# --- Wagtail admin ---
# Wagtail's own login form (wagtailadmin_login) is shadowed by the forward to allauth on the same path.
wagtailadmin_login                  | GET         | /admin/login/                                         | login | login   | login | login  | login   | login   | login
wagtailadmin_login_to_allauth       | GET         | /admin/login/                                         | login | login   | login | login  | login   | login   | login
wagtailadmin_home                   | GET         | /admin/                                               | login | login   | login | 200    | 200     | 200     | 200
wagtailadmin_account                | GET         | /admin/account/                                       | login | login   | login | 200    | 200     | 200     | 200
wagtailadmin_explore_root           | GET         | /admin/pages/                                         | login | login   | login | 302    | home    | home    | 200
wagtailadmin_explore                | GET         | /admin/pages/{home_id}/                               | login | login   | login | 200    | home    | home    | 200
wagtailadmin_pages:edit             | GET         | /admin/pages/{lesson_id}/edit/                        | login | login   | login | 200    | home    | home    | 200
wagtailadmin_pages:add_subpage      | GET         | /admin/pages/{module_id}/add_subpage/                 | login | login   | login | 200    | home    | home    | 200
wagtailadmin_pages:history          | GET         | /admin/pages/{lesson_id}/history/                     | login | login   | login | 200    | home    | home    | 200
wagtailadmin_pages:revisions_index  | GET         | /admin/pages/{lesson_id}/revisions/                   | login | login   | login | 302    | 302     | 302     | 302
wagtailadmin_pages:search           | GET         | /admin/pages/search/                                  | login | login   | login | 200    | home    | home    | 200
wagtailadmin_choose_page            | GET         | /admin/choose-page/                                   | login | login   | login | 200    | 200     | 200     | 200
wagtailadmin_api:pages:listing      | GET         | /admin/api/main/pages/                                | login | login   | login | 200    | 200     | 200     | 200
wagtailsnippets:index               | GET         | /admin/snippets/                                      | login | login   | login | home   | home    | home    | home
wagtailsnippets_quizzes_scenarioquestion:list | GET | /admin/snippets/quizzes/scenarioquestion/           | login | login   | login | 200    | home    | home    | 200
wagtailsnippets_quizzes_scenarioquestion:edit | GET | /admin/snippets/quizzes/scenarioquestion/edit/{scenario_id}/ | login | login | login | 200 | home | home   | 200
wagtailsnippetchoosers_quizzes_scenarioquestion:choose | GET | /admin/snippets/choose/quizzes/scenarioquestion/ | login | login   | login | 200    | 200     | 200     | 200
wagtailsnippets_classroom_classroomdeck:list | GET  | /admin/snippets/classroom/classroomdeck/              | login | login   | login | 200    | home    | home    | 200
wagtailsnippets_classroom_classroomdeck:edit | GET  | /admin/snippets/classroom/classroomdeck/edit/{deck_id}/ | login | login | login | 200    | home    | home    | 200
wagtailsnippets_interactive_h5pactivity:list | GET  | /admin/snippets/interactive/h5pactivity/              | login | login   | login | 200    | home    | home    | 200
wagtailsnippets_interactive_h5pactivity:edit | GET  | /admin/snippets/interactive/h5pactivity/edit/{h5p_id}/ | login | login  | login | 200    | home    | home    | 200
wagtailsnippets_coverage_trainingtarget:list | GET  | /admin/snippets/coverage/trainingtarget/              | login | login   | login | home   | home    | home    | 200
wagtailsnippets_coverage_trainingtarget:edit | GET  | /admin/snippets/coverage/trainingtarget/edit/{target_a}/ | login | login | login | home  | home    | home    | 200
wagtailsnippetchoosers_coverage_trainingtarget:choose | GET | /admin/snippets/choose/coverage/trainingtarget/ | login | login | login | home  | home    | home    | 200
wagtailsnippets_learning_municipality:list | GET    | /admin/snippets/learning/municipality/                | login | login   | login | home   | home    | home    | 200
wagtailsnippets_learning_municipality:edit | GET    | /admin/snippets/learning/municipality/edit/{municipality_a}/ | login | login | login | home | home  | home    | 200
wagtailsnippetchoosers_learning_municipality:choose | GET | /admin/snippets/choose/learning/municipality/   | login | login   | login | 200    | 200     | 200     | 200
wagtailsnippets_learning_department:list | GET      | /admin/snippets/learning/department/                  | login | login   | login | home   | home    | home    | 200
wagtailsnippets_learning_department:edit | GET      | /admin/snippets/learning/department/edit/{department_a}/ | login | login | login | home  | home    | home    | 200
wagtailsnippetchoosers_learning_department:choose | GET | /admin/snippets/choose/learning/department/       | login | login   | login | home   | home    | home    | 200
wagtailimages:index                 | GET         | /admin/images/                                        | login | login   | login | 200    | home    | home    | 200
wagtailimages:edit                  | GET         | /admin/images/{image_id}/                             | login | login   | login | 200    | home    | home    | 200
wagtailimages_chooser:choose        | GET         | /admin/images/chooser/                                | login | login   | login | 200    | 200     | 200     | 200
wagtaildocs:index                   | GET         | /admin/documents/                                     | login | login   | login | 200    | home    | home    | 200
wagtaildocs:edit                    | GET         | /admin/documents/edit/{document_id}/                  | login | login   | login | 200    | home    | home    | 200
wagtaildocs_chooser:choose          | GET         | /admin/documents/chooser/                             | login | login   | login | 200    | 200     | 200     | 200
wagtailusers_users:index            | GET         | /admin/users/                                         | login | login   | login | home   | home    | home    | 200
wagtailusers_users:edit             | GET         | /admin/users/edit/{learner_a_id}/                     | login | login   | login | home   | home    | home    | 200
wagtailusers_groups:index           | GET         | /admin/groups/                                        | login | login   | login | home   | home    | home    | 200
wagtailusers_groups:edit            | GET         | /admin/groups/edit/{coordinator_group_id}/            | login | login   | login | home   | home    | home    | 200
wagtailsites:index                  | GET         | /admin/sites/                                         | login | login   | login | home   | home    | home    | 200
wagtailsites:edit                   | GET         | /admin/sites/edit/{site_id}/                          | login | login   | login | home   | home    | home    | 200
wagtaillocales:index                | GET         | /admin/locales/                                       | login | login   | login | home   | home    | home    | 200
wagtailadmin_collections:index      | GET         | /admin/collections/                                   | login | login   | login | home   | home    | home    | 200
wagtailadmin_workflows:index        | GET         | /admin/workflows/list/                                | login | login   | login | home   | home    | home    | 200
wagtailredirects:index              | GET         | /admin/redirects/                                     | login | login   | login | home   | home    | home    | 200
wagtailredirects:edit               | GET         | /admin/redirects/{redirect_id}/                       | login | login   | login | home   | home    | home    | 200
wagtailforms:index                  | GET         | /admin/forms/                                         | login | login   | login | 200    | home    | home    | 200
wagtailsettings:edit                | GET         | /admin/settings/learning/municipality/                | login | login   | login | 404    | 404     | 404     | 404
wagtailadmin_reports:site_history   | GET         | /admin/reports/site-history/                          | login | login   | login | 200    | 200     | 200     | 200
wagtailadmin_reports:aging_pages    | GET         | /admin/reports/aging-pages/                           | login | login   | login | 200    | home    | home    | 200
wagtailadmin_reports:locked_pages   | GET         | /admin/reports/locked/                                | login | login   | login | home   | home    | home    | 200
wagtailadmin_reports:page_types_usage | GET       | /admin/reports/page-types-usage/                      | login | login   | login | 200    | home    | home    | 200
courses_modules_due                 | GET         | /admin/kurser/moduler-til-gennemgang/                 | login | login   | login | 200    | home    | home    | 200
quizzes_admin_insight               | GET         | /admin/quizzes/indsigt/                               | login | login   | login | 200    | home    | home    | 200
# --- Django admin (administrators only) ---
django_admin_login                  | GET         | /django-admin/login/                                  | login | login   | login | login  | login   | login   | login
admin:index                         | GET         | /django-admin/                                        | login | login   | login | login  | login   | login   | 200
admin:app_list                      | GET         | /django-admin/auth/                                   | login | login   | login | login  | login   | login   | 200
admin:auth_group_changelist         | GET         | /django-admin/auth/group/                             | login | login   | login | login  | login   | login   | 200
admin:auth_group_change             | GET         | /django-admin/auth/group/{coordinator_group_id}/change/ | login | login | login | login  | login   | login   | 200
admin:account_emailaddress_changelist | GET       | /django-admin/account/emailaddress/                   | login | login   | login | login  | login   | login   | 200
admin:mfa_authenticator_changelist  | GET         | /django-admin/mfa/authenticator/                      | login | login   | login | login  | login   | login   | 200
admin:usersessions_usersession_changelist | GET   | /django-admin/usersessions/usersession/               | login | login   | login | login  | login   | login   | 200
admin:socialaccount_socialapp_changelist | GET    | /django-admin/socialaccount/socialapp/                | login | login   | login | login  | login   | login   | 200
"""

# Every admin URL is requested by the sweep (with placeholder ids) as the actors who have no access to the
# admin at all; each group is listed by name, so a new admin section must be added here (and sampled above).
ADMIN_SWEPT = [
    # Wagtail's core admin (its own names and namespaces: pages, API, collections, workflows, reports, ...)
    "wagtailadmin_*", "wagtail_bulk_action", "admin/test404/", "admin/^.*/$",
    "wagtailforms:*", "wagtailredirects:*", "wagtailsettings:*", "simple_translation:*",
    "wagtaildocs:*", "wagtaildocs_chooser:*", "wagtailimages:*", "wagtailimages_chooser:*",
    "wagtaillocales:*", "wagtailsites:*", "wagtailusers_users:*", "wagtailusers_groups:*", "wagtailsnippets:*",
    # the project's snippets and admin views
    "wagtailsnippets_learning_municipality:*", "wagtailsnippetchoosers_learning_municipality:*",
    "wagtailsnippets_learning_department:*", "wagtailsnippetchoosers_learning_department:*",
    "wagtailsnippets_quizzes_scenarioquestion:*", "wagtailsnippetchoosers_quizzes_scenarioquestion:*",
    "wagtailsnippets_interactive_h5pactivity:*", "wagtailsnippetchoosers_interactive_h5pactivity:*",
    "wagtailsnippets_classroom_classroomdeck:*", "wagtailsnippetchoosers_classroom_classroomdeck:*",
    "wagtailsnippets_coverage_trainingtarget:*", "wagtailsnippetchoosers_coverage_trainingtarget:*",
    "courses_modules_due*", "quizzes_admin_insight",
    # Django's admin, per registered model
    "django_admin_login", "admin:index", "admin:login", "admin:logout", "admin:password_change*",
    "admin:autocomplete", "admin:jsi18n", "admin:view_on_site", "admin:app_list", "django-admin/(?P<url>.*)$",
    "admin:wagtaildocs_document_*", "django-admin/wagtaildocs/document/*",
    "admin:wagtailimages_image_*", "django-admin/wagtailimages/image/*",
    "admin:taggit_tag_*", "django-admin/taggit/tag/*",
    "admin:account_emailaddress_*", "django-admin/account/emailaddress/*",
    "admin:mfa_authenticator_*", "django-admin/mfa/authenticator/*",
    "admin:auth_group_*", "django-admin/auth/group/*",
    "admin:usersessions_usersession_*", "django-admin/usersessions/usersession/*",
    "admin:socialaccount_socialapp_*", "django-admin/socialaccount/socialapp/*",
    "admin:socialaccount_socialtoken_*", "django-admin/socialaccount/socialtoken/*",
    "admin:socialaccount_socialaccount_*", "django-admin/socialaccount/socialaccount/*",
]
ADMIN_PREFIXES = ("admin/", "django-admin/")
# Admin URLs that answer people without admin access something else than a login redirect.
ADMIN_SWEEP_EXCEPTIONS = {
    ("*", "wagtailadmin_javascript_catalog"): "200",  # the admin's translations for its scripts
    ("*", "wagtailadmin_sprite"): "200",  # the admin's icons
    ("*", "admin:logout"): "302",  # Django's admin sends a logout without a staff session to its index
    # Wagtail's password management is off (WAGTAIL_PASSWORD_MANAGEMENT_ENABLED): allauth's only.
    **{("*", f"wagtailadmin_password_reset{suffix}"): "404" for suffix in ("", "_done", "_confirm", "_complete")},
}


# Rows for URLs that exist only in some installations.
OPTIONAL_NAMES = ["bench:*"]

PAYLOADS = {
    "lang": {"language": "en", "next": "/"},
    "revoke": {"reason": "Udstedt ved en fejl."},
    "lock": {"action": "lock"},
    "route": ROUTE_INPUT,
    "xapi": XAPI_STATEMENT,
}


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: str
    expected: dict[str, str]

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def parse_matrix(text: str) -> list[Row]:
    rows = []
    for line in text.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("|")]
        assert len(cells) == 3 + len(ACTORS), f"matrix row has {len(cells)} cells: {line}"
        name, method, path, *outcomes = cells
        rows.append(Row(name=name, method=method, path=path, expected=dict(zip(ACTORS, outcomes, strict=True))))
    return rows


SITE_ROWS = parse_matrix(SITE_MATRIX)
ADMIN_ROWS = parse_matrix(ADMIN_MATRIX)
ALL_ROWS = SITE_ROWS + ADMIN_ROWS
ROUTES = resolver_routes()
ROUTE_KEYS = {route.key for route in ROUTES}
MOUNTED_ROWS = [row for row in ALL_ROWS if row.name in ROUTE_KEYS]


# --- The world, once per module -------------------------------------------------------------------------

# Also what makes pytest-django create the test database when only some of these tests are selected.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once and rolled back after the module (every test's own changes roll back after the test)."""
    media = tmp_path_factory.mktemp("matrix-media")
    name = str(connection.settings_dict["NAME"])
    assert name.startswith("test_") or "mode=memory" in name, f"refusing to build the world in {name}"
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media), CERTIFICATE_VERIFY_RATE_LIMIT=100_000),
        transaction.atomic(),
    ):
        cache.clear()
        with TestCase.captureOnCommitCallbacks(execute=True):
            built = world_build(at=dt.datetime.now(tz=dt.UTC))
        world_login(built, password=DEMO_PASSWORD)
        yield built
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(world):
    """Keep the module's media folder (the shared conftest would point each test at an empty one)."""


@pytest.fixture(autouse=True)
def _fresh_cache(world):
    cache.clear()


def request_row(world: World, row: Row, actor: str):
    url = world.url(row.path)
    method, _, payload = row.method.partition(":")
    if method == "JSON":
        return fetch(world, actor, "POST", url, data=PAYLOADS[payload], content_type="application/json")
    if method == "POST":
        return fetch(world, actor, "POST", url, data=PAYLOADS[payload] if payload else {})
    return fetch(world, actor, method, url)


def outcomes_table(row: Row, actual: dict[str, str]) -> str:
    header = " | ".join(f"{actor:>7}" for actor in ACTORS)
    expected = " | ".join(f"{row.expected[actor]:>7}" for actor in ACTORS)
    got = " | ".join(f"{actual[actor]:>7}" for actor in ACTORS)
    return f"{row.name} {row.id}\n  actor    {header}\n  expected {expected}\n  actual   {got}"


# --- The tests -------------------------------------------------------------------------------------------


def test_the_matrix_lists_every_url_pattern_and_nothing_else():
    """A new URL fails here until it is added to the matrix (or, for the admin, to the sweep)."""
    listed = {row.name for row in ALL_ROWS}
    unlisted = sorted(
        route.key
        for route in ROUTES
        if route.key not in listed
        and not (route.route.startswith(ADMIN_PREFIXES) and matches_any(route.key, ADMIN_SWEPT))
    )
    assert unlisted == [], "URL patterns missing from the access matrix:\n" + "\n".join(unlisted)
    stale = sorted(name for name in listed - ROUTE_KEYS if not matches_any(name, OPTIONAL_NAMES))
    assert stale == [], "matrix rows for URLs that no longer exist:\n" + "\n".join(stale)
    assert all(row.name in ROUTE_KEYS for row in ADMIN_ROWS)


def test_foreign_objects_are_404_in_the_matrix_itself():
    """Wherever coordinator A gets at one of A's non-public objects, coordinator B must get 404 (never 403)."""
    for row in ALL_ROWS:
        names_an_object = any(f"{{{name}}}" in row.path for name in A_OBJECTS)
        public = row.expected[ANONYMOUS][0] == "2"
        if names_an_object and not public and row.expected[COORDINATOR_A][0] in "23":
            assert row.expected[COORDINATOR_B] == "404", row


A_OBJECTS = ["certificate_a", "export_a", "report_a", "upload_a", "target_a", "department_a", "municipality_a_slug"]


@pytest.mark.parametrize("row", MOUNTED_ROWS, ids=lambda row: f"{row.name} {row.id}")
def test_access_matrix(world, row):
    actual = {actor: outcome_of(request_row(world, row, actor)) for actor in ACTORS}
    assert actual == row.expected, outcomes_table(row, actual)


def _swept_routes():
    return [route for route in ROUTES if route.route.startswith(ADMIN_PREFIXES)]


@pytest.mark.parametrize(("actor", "methods"), [(ANONYMOUS, ("GET", "POST")), (LEARNER, ("GET",))])
def test_every_admin_url_sends_people_without_admin_access_to_login(world, actor, methods):
    """Every pattern under /admin/ and /django-admin/, with placeholder ids (the SSP teacher holds no more
    admin permissions than the learner; the sampled rows above request the admin as every actor)."""
    wrong = []
    for route in _swept_routes():
        path = sample_path(route.route)
        for method in methods:
            expected = ADMIN_SWEEP_EXCEPTIONS.get(("*", route.key), LOGIN)
            got = outcome_of(fetch(world, actor, method, path))
            if got != expected and not (method == "POST" and got == "405"):
                wrong.append(f"{method} {route.key} ({path}): {got}, expected {expected}")
    assert wrong == [], "\n".join(wrong)


# --- IDs changed by hand ---------------------------------------------------------------------------------

# Coordinator A with municipality B's ids in the path or the query string: 404, exactly as for ids that do
# not exist (the matrix's coord_b column tries the other direction on every URL).
FOREIGN_IDS_FOR_COORDINATOR_A = [
    ("GET", "/koordinator/?target={target_b}"),
    ("GET", "/koordinator/personer/?target={target_b}"),
    ("GET", "/koordinator/personer/?target={target_a}&department={department_b}"),
    ("GET", "/koordinator/eksport/tal/?target={target_b}&format=csv"),
    ("GET", "/koordinator/eksport/personer/?target={target_b}&format=xlsx"),
    ("GET", "/koordinator/eksport/personer/?target={target_a}&department={department_b}&format=csv"),
    ("POST", "/koordinator/rapporter/?target={target_b}"),
    ("GET", "/koordinator/rapporter/{report_b}/"),
    ("GET", "/koordinator/rapporter/{report_b}/hent/"),
    ("GET", "/koordinator/medarbejdere/import/{upload_b}/"),
    ("POST", "/koordinator/medarbejdere/import/{upload_b}/"),
    ("GET", "/certificates/coordinator/?afdeling={department_b}"),
    ("GET", "/certificates/coordinator/{certificate_b}/revoke/"),
    ("POST", "/certificates/coordinator/{certificate_b}/revoke/"),
    ("GET", "/certificates/coordinator/exports/{export_b}/"),
    ("GET", "/certificates/coordinator/exports/{export_b}/download/"),
    ("GET", "/certificates/{certificate_b}/pdf/"),
    ("GET", "/quiz/indsigt/{municipality_b_slug}/"),
]
# The learner of A with someone else's ids.
FOREIGN_IDS_FOR_LEARNER_A = [
    ("GET", "{final_url}?resultat={attempt_b}"),
    ("GET", "/certificates/{certificate_b}/pdf/"),
    ("POST", "/certificates/{certificate_b}/refresher/"),
]


@pytest.mark.parametrize(
    ("actor", "method", "path"),
    [(COORDINATOR_A, *request) for request in FOREIGN_IDS_FOR_COORDINATOR_A]
    + [(LEARNER, *request) for request in FOREIGN_IDS_FOR_LEARNER_A],
)
def test_ids_of_another_municipality_or_person_changed_by_hand_are_404(world, actor, method, path):
    data = PAYLOADS["revoke"] if "revoke" in path else {}
    response = fetch(world, actor, method, world.url(path), data=data if method == "POST" else None)
    assert response.status_code == 404


def test_an_export_for_another_municipalitys_department_is_refused_and_not_made(world):
    """The export's department is a form field (POST): refused like an unknown id (400), nothing is built."""
    from certificates.models import CertificateExport

    before = CertificateExport.objects.count()
    response = client_for(world, COORDINATOR_A).post(
        "/certificates/coordinator/", {"department": world.params["department_b"]}
    )
    assert response.status_code == 400
    assert CertificateExport.objects.count() == before


# --- Roles taken away, accounts closed -------------------------------------------------------------------


def test_a_revoked_coordinator_role_takes_effect_on_the_next_request(world):
    from learning.services import user_set_roles

    client = client_for(world, COORDINATOR_A)
    report = world.url("/koordinator/rapporter/{report_a}/")
    assert client.get("/koordinator/").status_code == 200
    assert client.get(report).status_code == 200

    user_set_roles(user=world.users[COORDINATOR_A], roles=set())  # what an administrator does in the admin

    assert client.get("/koordinator/").status_code == 403
    assert client.get(report).status_code == 403
    assert client.get(world.url("/certificates/{certificate_a}/pdf/")).status_code == 404
    assert outcome_of(client.get("/admin/")) == LOGIN


def test_a_revoked_editor_role_takes_effect_on_the_next_request(world):
    from learning.services import user_set_roles

    client = client_for(world, EDITOR)
    scenarios = "/admin/snippets/quizzes/scenarioquestion/"
    assert client.get(scenarios).status_code == 200

    user_set_roles(user=world.users[EDITOR], roles=set())

    assert outcome_of(client.get(scenarios)) == LOGIN
    assert outcome_of(client.get(world.url("/admin/pages/{lesson_id}/edit/"))) == LOGIN


def test_a_deactivated_user_is_logged_out_on_the_next_request(world):
    client = client_for(world, COORDINATOR_A)
    assert client.get("/overblik/").status_code == 200
    user = world.users[COORDINATOR_A]

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert outcome_of(client.get("/overblik/")) == LOGIN
    assert outcome_of(client.get("/koordinator/")) == LOGIN
    assert outcome_of(client.get("/admin/")) == LOGIN


def test_a_role_granted_after_login_asks_for_the_second_factor_first(world):
    from learning.roles import Role
    from learning.services import user_set_roles

    client = client_for(world, LEARNER)
    user_set_roles(user=world.users[LEARNER], roles={Role.LEARNER, Role.COORDINATOR})

    response = client.get("/koordinator/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# --- Every way in is allauth's ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/login/", "/_util/login/", "/en/_util/login/", "/django-admin/login/"])
def test_no_login_form_outside_allauth_lets_a_password_alone_in(world, path):
    """Wagtail's admin and private-page login forms would skip the rate limits and the second factor."""
    user = world.users[COORDINATOR_A]
    client = Client()
    response = client.post(f"{path}?next=/koordinator/", {"username": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fkoordinator%2F"
    assert not is_logged_in(client)


# --- What coordinators reach in the admin shows them nothing ----------------------------------------------


@pytest.mark.parametrize(
    ("path", "record"),
    [
        ("/admin/reports/site-history/", "Tilgængelighedserklæring"),
        ("/admin/images/chooser/", "Billede"),
        ("/admin/documents/chooser/", "Folder"),
        ("/admin/api/main/pages/", "Lektion 1"),
    ],
)
def test_admin_lists_open_to_coordinators_are_empty_for_them(world, path, record):
    """Wagtail lets anyone with admin access open these, filtered to what they may see: nothing."""
    shown_to_admin = fetch(world, ADMINISTRATOR, "GET", path).content.decode()
    shown_to_coordinator = fetch(world, COORDINATOR_A, "GET", path).content.decode()
    assert record in shown_to_admin or json_escaped(record) in shown_to_admin
    assert record not in shown_to_coordinator and json_escaped(record) not in shown_to_coordinator


def json_escaped(text: str) -> str:
    return json.dumps(text)[1:-1]
