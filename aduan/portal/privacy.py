"""The privacy notice (UU 27/2022) the complainant consents to; its version is stored with the
consent (Complainant.consent_version). Change the version whenever the notice's text changes."""

PRIVACY_NOTICE_VERSION = "2026-11"
