"""`iwo serve`: a collective's page, its JSON API and the relayer of signed votes.

- `service`: what the page asks (state, eligibility, ballots to sign, votes to relay), on top of
  the domain layer; no HTTP in it.
- `relayer`: the durable queue of accepted votes (SQLite) and the account that sends them,
  with its own nonce management.
- `app`: the HTTP routes (Starlette, served by uvicorn); `static/`: the page itself.

Nothing here is imported by `iwo --help` or any other command: the web libraries load only
when `iwo serve` runs.
"""
