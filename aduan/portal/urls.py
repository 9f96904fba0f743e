"""The citizen portal's URLs (Indonesian paths: citizens read and type them)."""

from django.urls import path

from .views import files, home, public, pwa, report, track

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    # Report form and receipt (views/report.py).
    path("lapor/", report.not_yet, name="report"),
    path("lapor/tanda-terima/<str:code>/", report.not_yet, name="receipt"),
    # Tracking: public timeline, private link, the complainant's actions (views/track.py).
    path("lacak/", track.not_yet, name="track"),
    path("lacak/kirim-ulang/", track.not_yet, name="resend_link"),
    path("lacak/<str:code>/", track.not_yet, name="complaint"),
    # Attachments, served only through an authorising view (views/files.py, S4).
    path("berkas/<str:token>/", files.not_yet, name="file"),
    # Public reports, statistics, directory, privacy notice (views/public.py).
    path("laporan/", public.not_yet, name="reports"),
    path("statistik/", public.not_yet, name="statistics"),
    path("direktori/", public.not_yet, name="directory"),
    path("privasi/", public.not_yet, name="privacy"),
    # The installable app (views/pwa.py): served from the root so the worker's scope is "/".
    path("manifest.webmanifest", pwa.not_yet, name="manifest"),
    path("sw.js", pwa.not_yet, name="service_worker"),
    path("luring/", pwa.not_yet, name="offline"),
    path("laporan-saya/", pwa.not_yet, name="my_reports"),
]
