from django.urls import path

from . import views

app_name = "bench"

urlpatterns = [
    path("ceiling/", views.ceiling, name="ceiling"),
    path("insert/", views.insert, name="insert"),
    path("insert-json/", views.insert_json, name="insert_json"),
]
