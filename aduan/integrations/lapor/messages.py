"""The outbox templates of the LAPOR! channel, registered with the notifications app.

The outbox renders every message through a template; for the "lapor" channel the text is only
a label for the back-office's outbox list (the sender builds the XML from the message's
context and the complaint, never from this text)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from aduan.notifications.messages import MESSAGES, MessageText

TEMPLATE_STATUS = "lapor_status"
TEMPLATE_RESPONSE = "lapor_response"
TEMPLATE_FORWARD_UP = "lapor_forward_up"

TEMPLATES: dict[str, MessageText] = {
    TEMPLATE_STATUS: MessageText(
        _("Status of report %(code)s to LAPOR!"),
        _("The status of report %(code)s is sent to the national LAPOR!-SP4N."),
        _("Status aduan %(code)s ke LAPOR!"),
    ),
    TEMPLATE_RESPONSE: MessageText(
        _("Response to report %(code)s to LAPOR!"),
        _("The response to report %(code)s is sent to the national LAPOR!-SP4N."),
        _("Tanggapan aduan %(code)s ke LAPOR!"),
    ),
    TEMPLATE_FORWARD_UP: MessageText(
        _("Report %(code)s forwarded to LAPOR!"),
        _(
            "Report %(code)s is outside the regency's authority and is forwarded to the national LAPOR!-SP4N."
        ),
        _("Aduan %(code)s diteruskan ke LAPOR!"),
    ),
}


def register_messages() -> None:
    for name, text in TEMPLATES.items():
        MESSAGES.setdefault(name, text)
