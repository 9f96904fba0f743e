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
    # The written report to the Bupati (issue 7, aduan/reports/written/): to the chair(s) and
    # the regent when a report is issued; a link to the archive, never an attachment.
    "report_issued": MessageText(
        _("Complaint handling report %(period)s issued"),
        _(
            "The written report on complaint handling for %(period)s (%(start)s to %(end)s) has "
            "been issued by %(issued_by)s.\n"
            "Read and download it (PDF, XLSX, CSV) in the archive:\n%(report_link)s"
        ),
        _("Laporan pengaduan %(period)s telah terbit: %(report_link)s"),
    ),
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
    # Replies to a message that came in on a channel (issue 5, aduan/intake/conversation.py).
    # Sent to the sender's address on the channel they used; never an identity, and CEK gives
    # only the public status.
    "inbound_help": MessageText(
        _("How to use the complaint service of %(pemda)s"),
        _(
            "Send your report as a message. Commands:\n"
            "LAPOR <your report> - a new report\n"
            "CEK <code> - the status of a report\n"
            "BALAS <code> <text> - answer a question or reply to a response\n"
            "PUAS <code> <rating 1-5> - the problem is solved\n"
            "BELUM <code> <text> - the problem is not solved yet\n"
            "More: %(site_url)s"
        ),
        _(
            "Aduan %(pemda)s: LAPOR <isi>; CEK <kode>; BALAS <kode> <isi>; PUAS <kode> <nilai 1-5>;"
            " BELUM <kode> <isi>. Info: %(site_url)s"
        ),
    ),
    "inbound_status": MessageText(
        _("Status of report %(code)s"),
        _("Report %(code)s: %(status)s.\nDetails: %(site_url)s/lacak/%(code)s/"),
        _("Status aduan %(code)s: %(status)s. Rincian: %(site_url)s/lacak/%(code)s/"),
    ),
    "inbound_unknown_code": MessageText(
        _("Unknown tracking code"),
        _(
            "We found no report with that tracking code. Check the code (it looks like "
            "%(example)s) or send BANTUAN for help."
        ),
        _(
            "Kode aduan tidak ditemukan. Periksa lagi kodenya (contoh: %(example)s) atau ketik BANTUAN."
        ),
    ),
    "inbound_confirm_new": MessageText(
        _("Send this as a new report?"),
        _(
            "Your message has not been sent as a report yet. Reply YA within 24 hours to send it "
            "as a new report, or BATAL to drop it. Send BANTUAN for help."
        ),
        _(
            "Pesan Anda belum terkirim sebagai aduan. Balas YA dalam 24 jam untuk mengirimnya"
            " sebagai aduan baru, atau BATAL. Bantuan: BANTUAN"
        ),
    ),
    "inbound_which_complaint": MessageText(
        _("Which report is your message about?"),
        _(
            "You have more than one open report: %(codes)s. Send your message again with the "
            "code, for example: BALAS %(first)s <your message>"
        ),
        _(
            "Anda punya beberapa aduan terbuka: %(codes)s. Kirim ulang dengan kode: BALAS %(first)s <isi>"
        ),
    ),
    "inbound_need_code": MessageText(
        _("Which report is your message about?"),
        _(
            "None of your reports is waiting for your answer. Add the tracking code, for example "
            "BALAS %(example)s <your message>, or send LAPOR <your report> for a new report."
        ),
        _(
            "Tidak ada aduan Anda yang menunggu jawaban. Sertakan kodenya: BALAS <kode> <isi>,"
            " atau LAPOR <isi> untuk aduan baru."
        ),
    ),
    "inbound_rate_limited": MessageText(
        _("Too many messages"),
        _(
            "We received too many messages from you in a short time. Further messages are not "
            "processed for the next %(minutes)s minutes. Please try again later."
        ),
        _(
            "Terlalu banyak pesan dari Anda. Pesan berikutnya tidak diproses selama %(minutes)s"
            " menit. Mohon coba lagi nanti."
        ),
    ),
    "inbound_unsupported": MessageText(
        _("We cannot take this kind of message"),
        _(
            "Sorry, we cannot take this kind of message. Send your report as text, with photos "
            "if you have them. Send BANTUAN for help."
        ),
        _(
            "Maaf, jenis pesan ini tidak dapat kami terima. Kirim aduan berupa teks atau foto. Bantuan: BANTUAN"
        ),
    ),
    "inbound_not_yours": MessageText(
        _("Report %(code)s"),
        _(
            "Report %(code)s was not sent from this address, so you cannot act on it from here. "
            "Its public status: %(status)s."
        ),
        _(
            "Aduan %(code)s tidak dikirim dari nomor/akun ini, jadi tidak bisa dibalas dari sini."
            " Status: %(status)s."
        ),
    ),
    "inbound_not_now": MessageText(
        _("Report %(code)s"),
        _(
            "This cannot be done for report %(code)s now (status: %(status)s). Send CEK %(code)s "
            "for its status or BANTUAN for help."
        ),
        _(
            "Perintah ini tidak berlaku untuk aduan %(code)s saat ini (status: %(status)s). Ketik BANTUAN."
        ),
    ),
    "inbound_nothing_to_confirm": MessageText(
        _("No message is waiting"),
        _(
            "No message of yours is waiting to be sent (a message waits 24 hours). Send LAPOR "
            "<your report> to make a new report."
        ),
        _("Tidak ada pesan yang menunggu (batas 24 jam). Kirim LAPOR <isi> untuk aduan baru."),
    ),
    "inbound_draft_cancelled": MessageText(
        _("Your message was not sent"),
        _("All right: your message was not sent as a report."),
        _("Baik, pesan Anda tidak dikirim sebagai aduan."),
    ),
    "inbound_attachment_refused": MessageText(
        _("Some files of report %(code)s were not accepted"),
        _(
            "%(count)s of the files you sent could not be accepted (type or size not allowed). "
            "The text of report %(code)s was received."
        ),
        _(
            "%(count)s lampiran tidak dapat diterima (jenis/ukuran). Teks aduan %(code)s tetap diterima."
        ),
    ),
    "inbound_rated": MessageText(
        _("Thank you for rating report %(code)s"),
        _("Thank you for rating the handling of report %(code)s."),
        _("Terima kasih atas penilaian Anda untuk aduan %(code)s."),
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
