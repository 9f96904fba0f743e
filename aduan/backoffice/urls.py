"""The back-office (`/kantor/`): staff sign-in, queues per role, the complaint page, operator
intake, moderation, search and lists, and administration. One views module per area."""

from django.urls import include, path

from .views import (
    accounts,
    api_keys,
    blocklist,
    complaint,
    inbound,
    intake,
    manage,
    moderation,
    queues,
)

app_name = "backoffice"
urlpatterns = [
    # Sign-in, two-factor, password reset, sign-out (views/accounts.py).
    path("masuk/", accounts.login, name="login"),
    path("masuk/verifikasi/", accounts.otp_verify, name="otp_verify"),
    path("keluar/", accounts.logout, name="logout"),
    path("masuk/lupa-sandi/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "masuk/lupa-sandi/terkirim/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "masuk/sandi-baru/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "masuk/sandi-baru/selesai/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("akun/2fa/", accounts.two_factor, name="two_factor"),
    path("akun/2fa/kode-pemulihan/", accounts.recovery_codes, name="recovery_codes"),
    path("akun/sandi/", accounts.password_change, name="password_change"),
    # Home per role, lists, search, saved filters, CSV export (views/queues.py).
    path("", queues.home, name="home"),
    path("aduan/", queues.complaint_list, name="list"),
    path("aduan/ekspor.csv", queues.complaint_export, name="export"),
    path("aduan/filter/", queues.saved_filter_create, name="saved_filter_create"),
    path("aduan/filter/<int:pk>/hapus/", queues.saved_filter_remove, name="saved_filter_delete"),
    # One complaint: timeline, conversation, actions, identity reveal (views/complaint.py).
    path("aduan/<int:pk>/", complaint.complaint_detail, name="complaint"),
    path("aduan/<int:pk>/aksi/<slug:verb>/", complaint.complaint_action, name="complaint_action"),
    path("aduan/<int:pk>/catatan/", complaint.complaint_note, name="complaint_note"),
    path(
        "aduan/<int:pk>/identitas/",
        complaint.complaint_identity_reveal,
        name="complaint_identity_reveal",
    ),
    path(
        "aduan/<int:pk>/templat/",
        complaint.complaint_response_text,
        name="complaint_response_text",
    ),
    # Operator intake for call center, complaint box and walk-in (views/intake.py, Pasal 10).
    path("aduan/baru/", intake.intake, name="intake"),
    path("aduan/baru/<int:pk>/tanda-terima/", intake.intake_receipt, name="intake_receipt"),
    # Moderation for the public portal (views/moderation.py).
    path("moderasi/", moderation.moderation, name="moderation"),
    path("moderasi/<int:pk>/", moderation.moderation_review, name="moderation_review"),
    path("moderasi/<int:pk>/tarik/", moderation.moderation_unpublish, name="moderation_unpublish"),
    # Administration: agencies, staff, categories, templates, holidays, deadlines (views/manage.py).
    path("pengaturan/", manage.manage, name="manage"),
    path("pengaturan/instansi/", manage.agencies, name="manage_agencies"),
    path("pengaturan/instansi/baru/", manage.agency_edit, name="manage_agency_new"),
    path("pengaturan/instansi/<int:pk>/", manage.agency_edit, name="manage_agency"),
    path("pengaturan/pengguna/", manage.users, name="manage_users"),
    path("pengaturan/pengguna/baru/", manage.user_edit, name="manage_user_new"),
    path("pengaturan/pengguna/<int:pk>/", manage.user_edit, name="manage_user"),
    path("pengaturan/pengguna/<int:pk>/aktif/", manage.user_set_active, name="manage_user_active"),
    path("pengaturan/kategori/", manage.categories, name="manage_categories"),
    path("pengaturan/kategori/baru/", manage.category_edit, name="manage_category_new"),
    path("pengaturan/kategori/<int:pk>/", manage.category_edit, name="manage_category"),
    path("pengaturan/templat/", manage.templates, name="manage_templates"),
    path("pengaturan/templat/baru/", manage.template_edit, name="manage_template_new"),
    path("pengaturan/templat/<int:pk>/", manage.template_edit, name="manage_template"),
    path("pengaturan/libur/", manage.holidays, name="manage_holidays"),
    path("pengaturan/libur/baru/", manage.holiday_edit, name="manage_holiday_new"),
    path("pengaturan/libur/<int:pk>/", manage.holiday_edit, name="manage_holiday"),
    path("pengaturan/tenggat/", manage.deadlines, name="manage_deadlines"),
    # API keys (admin) and personal API tokens (views/api_keys.py, issue 6).
    path("pengaturan/api/", api_keys.api_keys, name="api_keys"),
    path("pengaturan/api/<int:pk>/cabut/", api_keys.api_key_revoke_view, name="api_key_revoke"),
    path("akun/token/", api_keys.staff_tokens, name="staff_tokens"),
    path("akun/token/<int:pk>/cabut/", api_keys.staff_token_revoke_view, name="staff_token_revoke"),
    # Inbound monitor: what came in on the channels, retry, block (views/inbound.py, issue 5).
    path("kelola/masuk/", inbound.inbound, name="inbound"),
    path("kelola/masuk/<int:pk>/ulang/", inbound.inbound_retry_view, name="inbound_retry"),
    path("kelola/masuk/<int:pk>/blokir/", inbound.inbound_block_view, name="inbound_block"),
    # Blocked senders (views/blocklist.py, issue 5).
    path("kelola/blokir/", blocklist.blocklist, name="blocklist"),
    path("kelola/blokir/<int:pk>/hapus/", blocklist.blocklist_remove, name="blocklist_remove"),
    # Monitoring and reports (aduan/reports, issue 7).
    path("laporan/", include("aduan.reports.urls")),
]
