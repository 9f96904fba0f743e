"""Back-office report pages, included under `/kantor/laporan/` in the `backoffice` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("target/", views.targets, name="report_targets"),
    path("target/<int:pk>/hapus/", views.target_remove, name="report_target_delete"),
]
