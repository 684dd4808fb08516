"""The errors services raise. Each carries an English template and its parameters; ``str()``
gives the message in the current language (Chinese via resources/i18n)."""

from __future__ import annotations

from typing import Any


class JxcError(Exception):
    """Base for every expected, user-facing failure. Nothing was changed when one is raised."""

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template)
        self.template = template
        self.params = params

    @property
    def message(self) -> str:
        from jxc_desktop.i18n import _

        text = _(self.template)
        try:
            return text.format(**{k: _(v) if isinstance(v, str) and k == "field" else v
                                  for k, v in self.params.items()})
        except (KeyError, IndexError, ValueError):
            return text

    @property
    def english(self) -> str:
        try:
            return self.template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.template

    def __str__(self) -> str:
        return self.message


class ValidationError(JxcError):
    """Bad input: a form field, an import row, a command-line argument."""


class NotFoundError(JxcError):
    """A product, document or barcode that does not exist."""


class InsufficientStockError(JxcError):
    """An issue would take stock below zero and the policy blocks it (or asks first)."""

    def __init__(self, template: str, *, needs_confirmation: bool = False, **params: Any) -> None:
        super().__init__(template, **params)
        self.needs_confirmation = needs_confirmation


class StateError(JxcError):
    """The document is not in a state that allows this (posted twice, already reversed...)."""


class DatabaseError(JxcError):
    """The database file is busy, damaged, foreign or newer than this program."""


class WriteConflictError(DatabaseError):
    """Another till changed the same rows at the same moment (a server's serialization failure or
    deadlock): the transaction was rolled back whole. The unit of work runs it again a few times
    (db/uow.py ``retrying``) before the person sees this."""

    CONFLICT = ("Another till was changing the same goods or documents at the same moment, so nothing was "
                "saved. Try again.")

    def __init__(self, template: str = CONFLICT, **params: Any) -> None:
        super().__init__(template, **params)


class PermissionDeniedError(JxcError):
    """The owner PIN is required or was wrong."""


class DamagedFileError(DatabaseError):
    """The data file failed a check (a damaged page, a missing table or index): writing is refused
    from then on, so nothing more goes into it. Restore the newest good backup."""
