"""Members (会员): levels, the member directory, member prices, points (积分) and stored value (储值)."""
