"""Provider webhooks, mounted at /webhooks/ (CSRF-exempt views; each verifies its provider)."""

from django.urls import path  # noqa: F401 - the channel adapters add their webhooks here

urlpatterns: list = [
    # channel: sms (HTTP SMS gateway)
    # channel: whatsapp
    # channel: telegram
]
