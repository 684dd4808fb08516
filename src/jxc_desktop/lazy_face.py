"""The PEP 562 ``__getattr__`` of a lazy public face (services/<package>/api.py): each name is
imported from its module on first use, then kept in the face's globals as a plain attribute, so a
command that needs one name does not load the rest (issue 15: a command's fixed cost).

Stdlib only: the faces load this module whatever the command.
"""

from collections.abc import Callable, Mapping
from typing import Any


def lazy_getattr(package: str, names: Mapping[str, str | tuple[str, str]],
                 namespace: dict[str, Any]) -> Callable[[str], Any]:
    """The ``__getattr__`` for the face of ``package`` (e.g. ``jxc_desktop.services.staff``).

    ``names`` maps a name of the face to the module of ``package`` it comes from, or to
    (module, its name there) when the face renames it; ``namespace`` is the face's ``globals()``.
    """
    face = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        found = names.get(name)
        if found is None:
            raise AttributeError(f"module {face!r} has no attribute {name!r}")
        from importlib import import_module

        module, attribute = (found, name) if isinstance(found, str) else found
        value = getattr(import_module(f"{package}.{module}"), attribute)
        namespace[name] = value  # once: later lookups are plain attribute reads
        return value

    return __getattr__
