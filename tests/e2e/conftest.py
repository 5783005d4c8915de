"""Browser journeys: Playwright drives Debian's Chromium against a live server.

Screenshots go to tests/e2e/artifacts/ (git-ignored) so a person can look at what a citizen sees.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told that this is deliberate (DESIGN §6).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it with "
            "`apt-get install -y chromium fonts-noto-cjk fonts-wqy-microhei` (.ci/run does this)."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


# The province without its catalogue and people: what the frame, the region switch, the admin
# and the API docs need. The catalogue (about a thousand guides written through the services)
# and the 10 000 synthetic persons take far longer to load, so only the journeys that read them
# ask for them (`catalog_site`); the account journeys build the people they need.
PROVINCE_STEPS = ["regions", "organizations", "halls", "stations"]


@pytest.fixture
def demo_site(live_server, transactional_db):
    """A live server with the demo province (regions, organisations, halls, stations)."""
    call_command("demo", only=PROVINCE_STEPS, verbosity=0)
    return live_server


@pytest.fixture
def catalog_site(live_server, transactional_db):
    """A live server with the demo province and its catalogue, as `make run` serves them."""
    call_command("demo", only=[*PROVINCE_STEPS, "catalog"], verbosity=0)
    return live_server


@pytest.fixture
def shot():
    """Save a full-page screenshot under tests/e2e/artifacts/NAME.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
