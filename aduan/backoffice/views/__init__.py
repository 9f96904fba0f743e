"""Back-office views, one module per area: accounts (sign-in, 2FA), queues (homes, lists,
export), complaint (the complaint page and its actions), intake (operator form), moderation,
manage (administration)."""
