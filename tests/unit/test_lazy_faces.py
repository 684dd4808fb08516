"""The lazy public faces (services/<package>/api.py over lazy_face.py): every name of a face's
``__all__`` resolves (imported at its top or listed in its lazy table), every lazy name is in
``__all__``, and each resolves to what the module it names holds — the three lists are kept by hand."""

from __future__ import annotations

import importlib

import pytest

FACES = ("jxc_desktop.services.catalog.api", "jxc_desktop.services.staff.api", "jxc_desktop.services.members.api",
         "jxc_desktop.services.accounts.api")


@pytest.mark.parametrize("face", FACES)
def test_every_name_resolves_and_every_lazy_name_is_public(face: str) -> None:
    module = importlib.import_module(face)
    lazy = module._LAZY
    assert set(lazy) <= set(module.__all__), set(lazy) - set(module.__all__)
    package = face.rsplit(".", 1)[0]
    for name in module.__all__:
        value = getattr(module, name)
        if name in lazy:
            found = lazy[name]
            where, attribute = (found, name) if isinstance(found, str) else found
            assert value is getattr(importlib.import_module(f"{package}.{where}"), attribute), name
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018  (an unknown name is refused, not imported)
