"""The ids of rows, as read from a request."""

# The largest id a BigAutoField holds. A bigger number names no row, and SQLite cannot even bind
# it as a query parameter (OverflowError), so it is refused before it reaches the database.
MAX_ID = 2**63 - 1
