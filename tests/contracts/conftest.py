"""Fixtures of the contract unit tests: the titanoboa ones of utils/boa_fixtures.py
(role accounts, implementations, factory, token, `create`, `collective`, `gov_helpers`;
one block per transaction)."""

from utils.boa_fixtures import *  # noqa: F403  (the shared fixtures, used by name)
