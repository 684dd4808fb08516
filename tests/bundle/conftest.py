"""The bundle tests run only when asked for (`pytest -m bundle tests/bundle`, see
scripts/build_bundle.sh): they need dist/jxc/ built by PyInstaller, which takes minutes."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "bundle" in (config.getoption("markexpr") or "") and "not bundle" not in config.getoption("markexpr"):
        return
    skip = pytest.mark.skip(reason="bundle test: run scripts/build_bundle.sh")
    for item in items:
        if "bundle" in item.keywords:
            item.add_marker(skip)
