from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("lektion/<int:page_id>/gennemfoert/", views.lesson_mark_complete, name="lesson_mark_complete"),
]
