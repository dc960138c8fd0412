"""The one exception type the domain layer raises for user-facing problems."""


class IwoError(Exception):
    """A problem the user can act on; its message is one clear line."""
