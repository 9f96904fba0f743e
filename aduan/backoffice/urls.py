"""The back-office (`/kantor/`): staff sign-in, queues per role, the complaint page, operator
intake, moderation, search and lists, and administration. One views module per area."""

from django.urls import path

from .views import accounts, complaint, intake, manage, moderation, queues

app_name = "backoffice"
urlpatterns = [
    # Sign-in, two-factor, password reset, sign-out (views/accounts.py).
    path("masuk/", accounts.not_yet, name="login"),
    path("masuk/verifikasi/", accounts.not_yet, name="otp_verify"),
    path("keluar/", accounts.not_yet, name="logout"),
    # Home per role, lists, search, saved filters, CSV export (views/queues.py).
    path("", queues.not_yet, name="home"),
    path("aduan/", queues.not_yet, name="list"),
    # One complaint: timeline, conversation, actions, identity reveal (views/complaint.py).
    path("aduan/<int:pk>/", complaint.not_yet, name="complaint"),
    # Operator intake for call center, complaint box and walk-in (views/intake.py, Pasal 10).
    path("aduan/baru/", intake.not_yet, name="intake"),
    # Moderation for the public portal (views/moderation.py).
    path("moderasi/", moderation.not_yet, name="moderation"),
    # Administration: agencies, staff, categories, templates, holidays, deadlines (views/manage.py).
    path("pengaturan/", manage.not_yet, name="manage"),
]
