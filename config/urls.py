from django.contrib import admin
from django.urls import include, path

from aduan.api.v1 import api

urlpatterns = [
    path("", include("aduan.core.urls")),
    path("", include("aduan.portal.urls")),
    path("kantor/", include("aduan.backoffice.urls")),
    path("api/v1/", api.urls),
    path("data/", include("aduan.reports.opendata")),
    path("open311/v2/", include("aduan.open311.urls")),
    path("webhooks/", include("aduan.intake.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler500 = "aduan.core.views.server_error"
