"""The SSP teacher's side of the classroom, under /klasse/ (the pupils' side is /deltag/)."""

from django.urls import path

from . import views

app_name = "classroom"

urlpatterns = [
    path("", views.deck_list, name="deck_list"),
    path("forloeb/<slug:slug>/", views.deck_detail, name="deck_detail"),
    path("forloeb/<slug:slug>/start/", views.deck_start, name="deck_start"),
    path("session/<uuid:public_id>/", views.projector, name="projector"),
    path("session/<uuid:public_id>/tilstand/", views.projector_poll, name="projector_poll"),
    path("session/<uuid:public_id>/styring/", views.session_control, name="control"),
    path(
        "session/<uuid:public_id>/deltagere/<int:participant_id>/fjern/",
        views.session_remove_participant,
        name="remove_participant",
    ),
    path("session/<uuid:public_id>/qr.svg", views.session_qr, name="qr"),
    path("session/<uuid:public_id>/resultater.json", views.session_results_json, name="results_json"),
]
