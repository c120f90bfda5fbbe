from django.urls import path

from . import views

app_name = "coverage"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("personer/", views.people, name="people"),
    path("eksport/tal/", views.export_figures, name="export_figures"),
    path("eksport/personer/", views.export_people, name="export_people"),
    path("rapporter/", views.report_create, name="report_create"),
    path("rapporter/<uuid:public_id>/", views.report_detail, name="report"),
    path("rapporter/<uuid:public_id>/hent/", views.report_download, name="report_download"),
    path("medarbejdere/import/", views.roster_upload, name="roster_upload"),
    path("medarbejdere/import/<uuid:public_id>/", views.roster_preview, name="roster_preview"),
    path("paamindelser/", views.reminder_settings, name="reminder_settings"),
    path("national/", views.national, name="national"),
]
