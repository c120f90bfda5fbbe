from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("badge/<str:code>.json", views.badge_json, name="badge_json"),
    path("badge/<str:code>.jwt", views.badge_jwt, name="badge_jwt"),
    path("issuer.json", views.issuer, name="issuer"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("coordinator/", views.coordinator_index, name="coordinator"),
    path("coordinator/<str:code>/revoke/", views.coordinator_revoke, name="revoke"),
    path("coordinator/exports/<uuid:public_id>/", views.export_status, name="export"),
    path("coordinator/exports/<uuid:public_id>/download/", views.export_download, name="export_download"),
    path("<str:code>/pdf/", views.certificate_pdf, name="pdf"),
    path("<str:code>/refresher/", views.start_refresher, name="refresher"),
]
