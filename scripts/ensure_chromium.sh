#!/usr/bin/env bash
# The browser tests drive Debian's chromium (/usr/bin/chromium) with Playwright; a browser is
# never downloaded. Install the Debian package when it is missing (needs root or sudo).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
echo "Installing Debian's chromium for the browser tests..."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q chromium fonts-dejavu-core >/dev/null ||
    { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q chromium fonts-dejavu-core >/dev/null; }
test -x /usr/bin/chromium || { echo "ERROR: /usr/bin/chromium could not be installed" >&2; exit 1; }
