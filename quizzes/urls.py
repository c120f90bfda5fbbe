from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("oevelse/<int:scenario_id>/", views.practice_answer, name="practice_answer"),
    path("pointgivning/", views.scoring_help, name="scoring_help"),
    path("indsigt/", views.insight_index, name="insight"),
    path("indsigt/<slug:municipality_slug>/", views.insight_municipality, name="insight_municipality"),
]
