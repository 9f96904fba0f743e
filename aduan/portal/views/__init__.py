"""The citizen portal's views, one module per area: home, report (form and receipt), track
(public timeline, private link and the complainant's actions), public (reports, statistics,
directory, privacy notice), files (attachments), pwa (manifest, service worker, offline)."""
