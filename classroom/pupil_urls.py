"""The pupils' side of the classroom, under the short URL /deltag/ (no account, an anonymous cookie)."""

from django.urls import path

from . import views

app_name = "classroom_pupil"

urlpatterns = [
    path("", views.join, name="join"),
    path("s/<uuid:public_id>/", views.pupil_session, name="session"),
    path("s/<uuid:public_id>/tilstand/", views.pupil_poll, name="poll"),
    path("s/<uuid:public_id>/stem/", views.pupil_vote, name="vote"),
]
