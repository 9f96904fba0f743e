"""The citizen portal's URLs (Indonesian paths: citizens read and type them)."""

from django.urls import path

from .views import files, home, public, pwa, report, track

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    # Report form and receipt (views/report.py).
    path("lapor/", report.report, name="report"),
    path("lapor/saran-kategori/", report.suggest, name="report_suggest"),
    path("lapor/tanda-terima/<str:code>/", report.receipt, name="receipt"),
    # Tracking: public timeline, private link, the complainant's actions (views/track.py).
    path("lacak/", track.track, name="track"),
    path("lacak/kirim-ulang/", track.resend_link, name="resend_link"),
    path("lacak/<str:code>/", track.complaint, name="complaint"),
    path("lacak/<str:code>/jawab/", track.complaint_supplement, name="track_supplement"),
    path("lacak/<str:code>/balas/", track.complaint_follow_up, name="track_follow_up"),
    path("lacak/<str:code>/selesai/", track.complaint_confirm, name="track_confirm"),
    path("lacak/<str:code>/nilai/", track.complaint_rate, name="track_rate"),
    path("lacak/<str:code>/pesan/", track.complaint_message, name="track_message"),
    path("lacak/<str:code>/data-saya/", track.complaint_export, name="track_export"),
    path("lacak/<str:code>/identitas/", track.complaint_identity, name="track_identity"),
    path(
        "lacak/<str:code>/persetujuan/",
        track.complaint_withdraw_consent,
        name="track_withdraw_consent",
    ),
    path("lacak/<str:code>/hapus-data/", track.complaint_erasure, name="track_erasure"),
    # Attachments, served only through an authorising view (views/files.py, S4).
    path("berkas/<str:token>/", files.file_download, name="file"),
    # Public reports, statistics, directory, privacy notice (views/public.py).
    path("laporan/", public.reports, name="reports"),
    path("statistik/", public.statistics, name="statistics"),
    path("direktori/", public.directory, name="directory"),
    path("privasi/", public.privacy, name="privacy"),
    # The installable app (views/pwa.py): served from the root so the worker's scope is "/".
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("teks-aplikasi.json", pwa.app_strings, name="app_strings"),
    path("luring/", pwa.offline, name="offline"),
    path("laporan-saya/", pwa.my_reports, name="my_reports"),
]
