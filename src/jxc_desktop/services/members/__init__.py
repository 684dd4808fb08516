"""Members (会员): levels, the member directory (card, phone, its last 4 digits), member prices at
the till, and the member reports; points and stored value are ledgers of this package too."""
