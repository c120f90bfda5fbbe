from django.urls import path

from . import views

app_name = "interactive"

urlpatterns = [
    path("play/<str:token>/", views.player, name="play"),
    path("play/<str:token>/content/<path:path>", views.content, name="content"),
    path("xapi/<str:token>/", views.xapi, name="xapi"),
]
