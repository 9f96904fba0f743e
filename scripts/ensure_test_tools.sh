#!/usr/bin/env bash
# The tests use real peers installed from Debian's packages, never downloaded by a test tool:
#   chromium           the browser tests (Playwright drives /usr/bin/chromium)
#   gammu-smsd         the SMS 1708 gateway (dummy phone driver + SQL service on the test DB)
#   dovecot-imapd      a real IMAP server for the email channel (a throwaway maildir per test run)
#   poppler-utils      pdftotext / pdftoppm to read back the written reports
#   libpango-1.0-0     WeasyPrint's text layout (the PDF reports)
# Install whatever is missing (needs root or sudo).
set -euo pipefail
declare -A wanted=(
    [/usr/bin/chromium]=chromium
    [/usr/bin/gammu-smsd]=gammu-smsd
    [/usr/bin/gammu]=gammu
    [/usr/sbin/dovecot]=dovecot-imapd
    [/usr/bin/pdftotext]=poppler-utils
    [/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]=fonts-dejavu-core
)
missing=()
for path in "${!wanted[@]}"; do
    [ -e "$path" ] || missing+=("${wanted[$path]}")
done
if ! ldconfig -p 2>/dev/null | grep -q libpango-1.0.so.0; then
    missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "Installing Debian packages for the tests: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q "${missing[@]}" >/dev/null ||
    { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q "${missing[@]}" >/dev/null; }
for path in "${!wanted[@]}"; do
    test -e "$path" || { echo "ERROR: $path could not be installed (${wanted[$path]})" >&2; exit 1; }
done
