"""Fixtures of the `iwo serve` tests: per module a data folder, a local anvil node (stopped at
teardown, also when tests fail) and the chain helper; per session headless Chromium.

Run them with plain pytest: `python -m pytest -p no:ape_test tests/web`.
"""

from __future__ import annotations

import shutil

import pytest
from webtest import ARTIFACTS, CHROMIUM, Chain, stop_node

from iwo import node

ENV_TO_CLEAR = ("IWO_NETWORK", "IWO_RPC", "IWO_ACCOUNT", "IWO_KEYFILE", "IWO_COLLECTIVE", "IWO_RELAYER", "IWO_DEBUG")


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A fresh data folder as $IWO_HOME for the whole module."""
    mp = pytest.MonkeyPatch()
    folder = tmp_path_factory.mktemp("iwo-home")
    mp.setenv("IWO_HOME", str(folder))
    for name in ENV_TO_CLEAR:
        mp.delenv(name, raising=False)
    yield folder
    mp.undo()


@pytest.fixture(scope="module")
def chain(home):
    """A local anvil node in the module's data folder (`iwo node start`), and a helper on it."""
    running, started = node.start()
    assert started
    try:
        yield Chain(running.url)
    finally:
        stop_node(running)


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def playwright_session():
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (make test does it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright_session, tmp_path_factory):
    """Debian's Chromium, headless and offline, in a fresh profile for the module."""
    from webtest import launch

    context = launch(playwright_session, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser, server):
    """A fresh tab on the module's `server`; any uncaught script error fails the test."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    page.close()
    assert not errors, errors
