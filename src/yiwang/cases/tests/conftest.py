"""Fixtures of the cases tests: a Haishu hall (受理) and market regulator (承办), its staff, a
citizen, and published items in each online mode. Other apps' tests and the browser journeys
import :func:`case_world`."""

from __future__ import annotations

import pytest

from yiwang.cases.tests.helpers import case_world


@pytest.fixture
def world(db):
    return case_world()


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    # Uploaded materials of one test must not be seen (or swept) by another.
    settings.MEDIA_ROOT = str(tmp_path / "media")
