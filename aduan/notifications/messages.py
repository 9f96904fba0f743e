"""The text of every notification, translatable, keyed by template name.

Context values are filled with %-formatting under the recipient's language. Staff messages
never contain a complainant's identity; complainant messages go only to the complainant.
SMS texts are short, plain GSM-7 where possible (one 160-character segment).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MessageText:
    subject: Promise
    body: Promise
    sms: Promise
    with_private_link: bool = False


MESSAGES: dict[str, MessageText] = {
    # To the complainant.
    "complaint_received": MessageText(
        _("Your report %(code)s has been received"),
        _(
            'Thank you. Your report "%(title)s" has been received with tracking code %(code)s.\n\n'
            "The Dinas will verify it and pass it to the agency responsible within %(dispatch_days)s working days.\n"
            "Follow it, answer questions and rate the answer with your private link:\n%(private_link)s\n\n"
            "Keep this link to yourself. Anyone can check the public status with the tracking code at %(site_url)s."
        ),
        _("Aduan %(code)s diterima. Pantau: %(site_url)s Kode ini untuk cek status."),
        with_private_link=True,
    ),
    "info_requested": MessageText(
        _("More information needed for report %(code)s"),
        _(
            "The Dinas needs more information about your report %(code)s:\n\n%(question)s\n\n"
            "Please answer within %(days)s days with your private link:\n%(private_link)s\n"
            "Otherwise the report will be archived."
        ),
        _("Aduan %(code)s perlu info: %(question_short)s Balas: BALAS %(code)s <jawaban>"),
        with_private_link=True,
    ),
    "supplement_received": MessageText(
        _("Your answer for report %(code)s was received"),
        _(
            "Thank you. Your additional information for report %(code)s has been received and the report is being verified again."
        ),
        _("Info tambahan aduan %(code)s diterima. Terima kasih."),
    ),
    "message_received": MessageText(
        _("Your message about report %(code)s was received"),
        _(
            "Thank you. Your message has been added to report %(code)s and passed to whoever is handling it."
        ),
        _("Pesan untuk aduan %(code)s diterima. Terima kasih."),
    ),
    "complaint_dispatched": MessageText(
        _("Report %(code)s passed to %(agency)s"),
        _(
            "Your report %(code)s has been verified and passed to %(agency)s. "
            "The agency answers within %(response_days)s working days, by %(response_due)s."
        ),
        _("Aduan %(code)s diteruskan ke %(agency)s. Jawaban paling lambat %(response_due)s."),
    ),
    "complaint_acknowledged": MessageText(
        _("Report %(code)s is being followed up"),
        _("%(agency)s is following up your report %(code)s."),
        _("Aduan %(code)s sedang ditindaklanjuti %(agency)s."),
    ),
    "complaint_responded": MessageText(
        _("Response to your report %(code)s"),
        _(
            "%(agency)s has responded to your report %(code)s:\n\n%(response)s\n\n"
            "Not solved? Reply within %(autoclose_days)s days with your private link; otherwise the report closes on %(autoclose_at)s.\n"
            "%(private_link)s"
        ),
        _(
            "Aduan %(code)s dijawab %(agency)s. Lihat: %(site_url)s Belum selesai? BALAS %(code)s <isi>"
        ),
        with_private_link=True,
    ),
    "follow_up_received": MessageText(
        _("Your reply for report %(code)s was received"),
        _(
            "Your reply to report %(code)s has been passed back to %(agency)s, which will answer by %(response_due)s."
        ),
        _("Balasan aduan %(code)s diteruskan ke %(agency)s."),
    ),
    "complaint_closed": MessageText(
        _("Report %(code)s is closed"),
        _(
            "Your report %(code)s is closed. Thank you for helping improve public services in %(pemda)s."
        ),
        _("Aduan %(code)s selesai. Terima kasih."),
    ),
    "complaint_auto_closed": MessageText(
        _("Report %(code)s is closed"),
        _(
            "Your report %(code)s was closed %(autoclose_days)s days after the response, as no reply came. "
            "You can still rate how it was handled with your private link:\n%(private_link)s"
        ),
        _("Aduan %(code)s ditutup. Beri nilai 1-5: PUAS %(code)s"),
        with_private_link=True,
    ),
    "complaint_archived": MessageText(
        _("Report %(code)s was archived"),
        _("Your report %(code)s was archived: %(reason)s.\n%(note)s"),
        _("Aduan %(code)s diarsipkan: %(reason)s."),
    ),
    "complaint_forwarded": MessageText(
        _("Report %(code)s was handed on"),
        _(
            "Your report %(code)s is outside the authority of %(pemda)s and was handed on to: %(forwarded_to)s."
        ),
        _("Aduan %(code)s di luar kewenangan, diteruskan ke %(forwarded_to)s."),
    ),
    "complaint_restored": MessageText(
        _("Report %(code)s was reopened"),
        _("Your report %(code)s was reopened and will be verified again."),
        _("Aduan %(code)s dibuka kembali."),
    ),
    # To staff.
    "complaint_assigned": MessageText(
        _("New complaint %(code)s for %(agency)s"),
        _(
            'Complaint %(code)s "%(title)s" was dispatched to %(agency)s.\n'
            "Service target: %(response_target)s. Deadline: %(response_due)s.\n%(staff_link)s"
        ),
        _("Aduan %(code)s masuk untuk %(agency)s. Batas: %(response_due)s."),
    ),
    "co_agency_assigned": MessageText(
        _("Complaint %(code)s: %(agency)s asks for your input"),
        _(
            'Complaint %(code)s "%(title)s" is led by %(agency)s; your agency was added as a co-agency.\n%(staff_link)s'
        ),
        _("Aduan %(code)s: instansi Anda diminta membantu %(agency)s."),
    ),
    "complaint_returned": MessageText(
        _("Complaint %(code)s returned by %(agency)s"),
        _(
            "%(agency)s returned complaint %(code)s: %(note)s\nSuggested agency: %(suggested)s\n"
            "Dispatch it again by %(dispatch_due)s.\n%(staff_link)s"
        ),
        _("Aduan %(code)s dikembalikan %(agency)s."),
    ),
    "follow_up_for_agency": MessageText(
        _("Complaint %(code)s: the complainant replied"),
        _(
            "The complainant replied to your response on complaint %(code)s; it is back with %(agency)s.\n"
            "New deadline: %(response_due)s.\n%(staff_link)s"
        ),
        _("Aduan %(code)s: pengadu membalas. Batas baru %(response_due)s."),
    ),
    "response_target_passed": MessageText(
        _("Reminder: complaint %(code)s has passed its service target"),
        _(
            "Complaint %(code)s passed the %(target_days)s-working-day service target on %(response_target)s. "
            "The deadline is %(response_due)s.\n%(staff_link)s"
        ),
        _("Pengingat: aduan %(code)s lewat target layanan."),
    ),
    "response_overdue": MessageText(
        _("Overdue: complaint %(code)s at %(agency)s"),
        _(
            "Complaint %(code)s at %(agency)s passed its response deadline (%(response_due)s) without an answer.\n%(staff_link)s"
        ),
        _("Aduan %(code)s di %(agency)s terlambat dijawab."),
    ),
    "dispatch_overdue": MessageText(
        _("Overdue: complaint %(code)s not dispatched"),
        _(
            "Complaint %(code)s was not dispatched by its deadline (%(dispatch_due)s).\n%(staff_link)s"
        ),
        _("Aduan %(code)s terlambat didisposisi."),
    ),
    # The tracking pages (issue 3, area C).
    "private_link_resent": MessageText(
        _("Your private link for report %(code)s"),
        _(
            "Someone (hopefully you) asked for the private link of your report %(code)s again.\n\n"
            "Follow your report, answer questions and rate the answer with this link:\n%(private_link)s\n\n"
            "Keep this link to yourself. If you did not ask for it, you can ignore this message."
        ),
        _("Link pribadi aduan %(code)s: %(private_link)s Jangan dibagikan."),
        with_private_link=True,
    ),
    "consent_withdrawn": MessageText(
        _("Report %(code)s: the complainant withdrew consent"),
        _(
            "The complainant of report %(code)s withdrew their consent to the processing of their personal data (UU 27/2022).\n"
            "Use their identity only to finish handling this report; it is erased when the report closes.\n%(staff_link)s"
        ),
        _("Aduan %(code)s: pengadu menarik persetujuan data pribadi."),
    ),
    "erasure_requested": MessageText(
        _("Report %(code)s: the complainant asked for deletion"),
        _(
            "The complainant of report %(code)s asked for their personal data to be deleted (UU 27/2022).\n"
            "The report is kept; the identity is erased automatically when the report closes, or now if it is closed already.\n%(staff_link)s"
        ),
        _("Aduan %(code)s: pengadu minta data pribadinya dihapus."),
    ),
    # The back-office (issue 4).
    "coordination_note": MessageText(
        _("Coordination team: complaint %(code)s"),
        _(
            "The complaint handling coordination team wrote about complaint %(code)s "
            '"%(title)s" at %(agency)s:\n\n%(note)s\n\nResponse deadline: %(response_due)s.'
            "\n%(staff_link)s"
        ),
        _("Tim koordinasi: aduan %(code)s perlu perhatian."),
    ),
    "response_draft_waiting": MessageText(
        _("Complaint %(code)s: a response waits for your approval"),
        _(
            "%(author)s wrote a response to complaint %(code)s that waits for your approval "
            "before it is sent.\n%(staff_link)s"
        ),
        _("Aduan %(code)s: tanggapan menunggu persetujuan Anda."),
    ),
}
