"""The `iwo` command groups, one module each; `iwo.cli` assembles them."""
