"""iwo: on-chain governance for independent worker organizations.

The package is the domain layer (importable without click) plus the `iwo`
command line in :mod:`iwo.cli`. Modules import Ape/web3 lazily so that
`iwo --help` stays fast.
"""

__version__ = "0.1.0"
