"""Property tests on titanoboa: compiler search paths, compile cache, the world.

The machine and model live in `harness.py`; strategies in `strategies.py`.
Nothing here touches Ape's provider: these tests only use the in-process
boa EVM, so they behave the same under `ape test` and plain pytest.

titanoboa's pytest plugin (loaded automatically) wraps every test, fixture
and hypothesis example in `boa.env.anchor()`, which would roll back contracts
deployed lazily inside the first example. So the shared world (locked
implementations, factory, token, lens) is deployed here, at collection time,
outside every anchor.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # harness / strategies are imported by name
    sys.path.insert(0, str(HERE))

import harness  # noqa: E402

harness.setup_boa()
harness.default_world()
