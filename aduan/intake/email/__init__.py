"""The email channel: the complaint mailbox read by IMAP, replies sent by SMTP (issue 5)."""
