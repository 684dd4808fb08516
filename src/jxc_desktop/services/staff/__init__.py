"""Staff (people at the till) and shifts (交班): who signs in, who sold what, and the cash count."""
