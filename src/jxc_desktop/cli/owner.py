"""The owner PIN for ``jxc`` commands: ``guard_command`` asks for it before a handler that changes
data or shows costs/profit (``PROTECTED_COMMANDS``), ``require_owner`` inside one. The PIN comes
from the global ``--pin-file``, else a terminal prompt, else the command is refused.

Light on purpose (issue 15): ``jxc`` imports this for every command, so it names the actions
without the PIN service; the service is reached through the context when a PIN is to be checked.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.errors import PermissionDeniedError, ValidationError
from jxc_desktop.services.safety import owner_actions as actions

if TYPE_CHECKING:
    from jxc_desktop.db.text_writes import SqliteWrites
    from jxc_desktop.services.hub import Services


def read_pin_file(name: str) -> str:
    try:
        text = sys.stdin.readline() if name == "-" else Path(name).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError("Cannot read the PIN file {path}: {reason}", path=name,
                              reason=getattr(exc, "strerror", None) or str(exc)) from exc
    return (text.splitlines() or [""])[0].strip()


def provided_pin(ctx: CliContext) -> str | None:
    """The PIN from ``--pin-file`` (``-`` = standard input), ``$JXC_PIN_FILE``, or a terminal prompt."""
    name = getattr(ctx, "pin_file", None) or os.environ.get("JXC_PIN_FILE")
    if name:
        return read_pin_file(name)
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass("老板密码 / owner PIN: ")
    return None


def _pin_is_set(ctx: CliContext) -> bool:
    """Read with sqlite3 alone when the file allows it: a shop without a PIN runs a command that
    only reads (``jxc stock``) without building the PIN service (issue 15)."""
    from jxc_desktop.services.shop.stored_settings import stored_setting

    return ctx.read(lambda rows: bool(stored_setting(rows, actions.HASH_KEY)), lambda services: services.pin.is_set())


def require_owner(ctx: CliContext, action: str) -> None:
    """Call first in a command that changes protected data or shows costs/profit. Does nothing when
    no PIN is set; raises PermissionDeniedError (exit 2) when the PIN is missing or wrong."""
    if not _pin_is_set(ctx):
        return
    pin = provided_pin(ctx)
    if pin is None:
        raise PermissionDeniedError("This needs the owner PIN: pass --pin-file FILE")
    # On sqlite3 alone when the file allows it (issue 15): a read-only command with a PIN set then
    # never builds SQLAlchemy either. Either way the audit names the approver ...
    owner = ctx.write(lambda tx: _approve(tx, action, pin), lambda services: _approve_on(services, action, pin))
    ctx.act_as(owner)  # ... and so does every audit row the command writes


def _approve(tx: SqliteWrites, action: str, pin: str) -> str:
    """The PIN checked and the approval recorded in one transaction (pin_check.py); the owner's name."""
    from jxc_desktop.domain.clock import utcnow
    from jxc_desktop.services.safety import pin_check
    from jxc_desktop.services.staff.staff_list import owner_name

    owner = owner_name(tx) or pin_check.OWNER
    refusal = pin_check.authorize(tx, action, pin, utcnow(), actor=owner)
    tx.commit()  # a wrong try is counted before it is refused
    if refusal is not None:
        raise refusal
    return owner


def _approve_on(services: Services, action: str, pin: str) -> str:
    """The same through the services (a server, a file that needs more than sqlite3 alone)."""
    owner = services.staff.owner_name()
    services.pin.authorize(action, pin, actor=owner)
    return owner


# Other groups' commands that need the owner when a PIN is set, by handler ("module.function";
# "module.*" = every command of that module). Checked centrally by ``guard_command`` before the
# handler runs, so each group stays unaware of the PIN. A test checks every name still exists.
PROTECTED_COMMANDS: dict[str, str] = {
    "catalog.cmd_demo": actions.EDIT_DATA,
    "catalog.cmd_import": actions.EDIT_DATA,
    "catalog.cmd_export": actions.VIEW_PROFIT,  # the file holds purchase prices
    "purchase.cmd_suppliers_add": actions.EDIT_DATA,
    "purchase.cmd_purchase_import": actions.EDIT_DATA,
    "purchase.cmd_purchase_pdf": actions.VIEW_PROFIT,  # purchase costs
    "purchase.cmd_purchase_list": actions.VIEW_PROFIT,
    "stock.cmd_count_import": actions.EDIT_DATA,
    "stock.cmd_count_post": actions.POST_COUNT,
    "stock.cmd_count_pdf": actions.VIEW_PROFIT,  # the variance report shows values
    "stock.cmd_stock": actions.VIEW_PROFIT,  # average cost and value
    "report.*": actions.VIEW_PROFIT,
    "accounts.cmd_customers_add": actions.EDIT_DATA,
    "accounts.cmd_money": actions.EDIT_DATA,  # payments and collections: the owner's (issue 16)
    "staff.cmd_staff_list": actions.STAFF,
    "staff.cmd_staff_add": actions.STAFF,
    "staff.cmd_staff_reset_pin": actions.STAFF,
    "promotions.cmd_import": actions.PRICE_CHANGE,  # promotions change what goods sell for
    "server.cmd_move_to_server": actions.VIEW_PROFIT,  # the server gets every cost and profit
    "member_money.cmd_adjust": actions.EDIT_DATA,  # manual points / stored value changes (issue 17)
}


def protected_action(func: object) -> str | None:
    module = getattr(func, "__module__", "").rpartition(".")[2]
    name = getattr(func, "__name__", "")
    return PROTECTED_COMMANDS.get(f"{module}.{name}") or PROTECTED_COMMANDS.get(f"{module}.*")


def guard_command(args: argparse.Namespace, ctx: CliContext) -> None:
    """Called by ``jxc`` before every handler: asks for the owner PIN where the command needs it."""
    action = protected_action(getattr(args, "func", None))
    if action is not None and (ctx.server is not None or _may_hold_a_pin(ctx.path)):
        require_owner(ctx, action)


def _may_hold_a_pin(path: Path) -> bool:
    """No file or a zero-byte one has no PIN: the command itself says what it does with it (``demo``
    builds a new shop beside it, the others refuse it), without this check opening it first."""
    try:
        return path.stat().st_size > 0
    except OSError:
        return False
