"""Provider webhooks, mounted at /webhooks/ (CSRF-exempt views; each verifies its provider)."""

from django.urls import path

from .sms.views import sms_gateway_delivery_report, sms_gateway_webhook  # channel: sms
from .telegram.views import telegram_webhook  # channel: telegram
from .whatsapp.views import whatsapp_webhook  # channel: whatsapp

urlpatterns: list = [
    # channel: sms (HTTP SMS gateway)
    path("sms/", sms_gateway_webhook, name="intake_sms_webhook"),
    path("sms/dlr/", sms_gateway_delivery_report, name="intake_sms_delivery_report"),
    # channel: whatsapp
    path("whatsapp/", whatsapp_webhook, name="intake_whatsapp_webhook"),
    # channel: telegram
    path("telegram/", telegram_webhook, name="intake_telegram_webhook"),
]
