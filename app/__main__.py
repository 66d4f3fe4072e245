"""`python -m app`: the `plaidoyer` command, as the server starts its outbox worker."""

from app.cli import main

main()
