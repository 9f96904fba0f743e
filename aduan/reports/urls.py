"""Back-office report pages, included under `/kantor/laporan/` in the `backoffice` namespace."""

from django.urls import path

from . import views
from .written import views as written_views

urlpatterns = [
    path("", views.dashboard, name="reports"),
    path("target/", views.targets, name="report_targets"),
    path("target/<int:pk>/hapus/", views.target_remove, name="report_target_delete"),
    # The written report to the Bupati (aduan/reports/written).
    path("tertulis/", written_views.report_list, name="report_written_list"),
    path("tertulis/<int:pk>/", written_views.report_detail, name="report_written"),
    path(
        "tertulis/<int:pk>/terbitkan/",
        written_views.report_issue_view,
        name="report_written_issue",
    ),
    path(
        "tertulis/<int:pk>/unduh/<str:fmt>/",
        written_views.report_download,
        name="report_written_download",
    ),
]
