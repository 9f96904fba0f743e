"""SMS 1708: Gammu SMSD's SQL tables (gammu.py) or a generic HTTP SMS gateway (http.py, views.py).

Inbound SMS become `InboundMessage(channel="sms", ...)` for the one inbound path
(aduan/intake/inbound.py); replies leave through the outbox and the sender chosen by
ADUAN_SMS_BACKEND (off | gammu | http).
"""
