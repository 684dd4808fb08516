"""jxc backup, jxc restore, jxc pin, jxc audit. The owner PIN other commands ask for is cli/owner.py's."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jxc_desktop.cli.context import CliContext
from jxc_desktop.cli.owner import provided_pin, read_pin_file, require_owner
from jxc_desktop.domain.clock import day_start_utc, parse_day
from jxc_desktop.domain.errors import DatabaseError, PermissionDeniedError, StateError, ValidationError
from jxc_desktop.services.safety import audit_text
from jxc_desktop.services.safety import owner_actions as actions

if TYPE_CHECKING:
    from datetime import datetime

    from jxc_desktop.db.text_reads import Rows
    from jxc_desktop.services.safety.backup_files import BackupInfo


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backup", help="make a checked backup copy (default: the backup folder) or list copies")
    p.add_argument("--to", metavar="DIR_OR_FILE", help="a folder (a timed name is chosen) or a new file name")
    p.add_argument("--list", action="store_true", help="list the copies in the backup folder, newest first")
    p.add_argument("--auto", action="store_true",
                   help="the daily automatic copy with rotation (7 daily, 12 monthly); nothing if made today")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the data file by a backup (the current file is kept first)")
    p.add_argument("file", metavar="FILE", help="the backup copy to restore")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--other-shop", action="store_true",
                   help="allow a backup made from another shop file (refused otherwise)")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("pin", help="the owner PIN (老板密码): set, clear, status, or reset when forgotten")
    psub = p.add_subparsers(dest="pin_command", metavar="ACTION")
    psub.required = True
    q = psub.add_parser("set", help="set or change the PIN (asks, or --new-pin-file; changing needs --pin-file)")
    q.add_argument("--new-pin-file", metavar="FILE", help="read the new PIN from the first line of FILE")
    q.set_defaults(func=cmd_pin_set)
    q = psub.add_parser("clear", help="turn the PIN off (needs the PIN)")
    q.set_defaults(func=cmd_pin_clear)
    q = psub.add_parser("status", help="whether a PIN is set and whether entry is locked")
    q.set_defaults(func=cmd_pin_status)
    q = psub.add_parser("reset", help="remove a forgotten PIN with the recovery code given when it was set")
    q.add_argument("--recovery-code-file", metavar="FILE",
                   help="read the recovery code from the first line of FILE ('-' = standard input)")
    q.add_argument("--i-am-the-owner", action="store_true", dest="owner",
                   help="without the recovery code: recorded in the audit log and shown in the window "
                        "until the owner acknowledges it")
    q.add_argument("--reason", default="", help="a note for the audit log")
    q.set_defaults(func=cmd_pin_reset)

    p = sub.add_parser("audit", help="the audit trail, newest first (tab-separated)")
    p.add_argument("--action", default="", help="only this action (e.g. settings, reversal, restore)")
    p.add_argument("--text", default="", help="only entries whose document/before/after/detail contain TEXT")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="from this local day")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--readable", action="store_true",
                   help="add a last column: before -> after with amounts in yuan and quantities in units")
    p.add_argument("--who", action="store_true",
                   help="add a last column: the person who did or approved it (staff, owner)")
    p.set_defaults(func=cmd_audit)


# ---------------------------------------------------------------------- commands


def _describe_line(info: BackupInfo) -> str:
    made = info.made_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if info.made_at else "?"
    if not info.ok:
        return f"{info.path}\t{made}\tBAD\t{info.problem}"
    last = info.last_sale_at.astimezone().strftime("%Y-%m-%d %H:%M") if info.last_sale_at else "-"
    return (f"{info.path}\t{made}\tok\tproducts {info.products}\tsales {info.sales}\tlast sale {last}"
            f"\t{info.size} bytes")


def _dump_line(info: BackupInfo) -> str:
    made = info.made_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if info.made_at else "?"
    return f"{info.path}\t{made}\t{'ok' if info.ok else 'BAD'}\t{info.problem or 'pg_dump archive'}\t{info.size} bytes"


def _last_good_line(last: datetime | None) -> str:
    return f"last good backup: {last.astimezone().strftime('%Y-%m-%d %H:%M') if last else 'never'}"


def _backup_list(ctx: CliContext) -> int:
    """The copies in the backup folder and the last good backup: on a file at head the folder, the
    recorded time and the shop's id are read with sqlite3 alone (issue 15); the copies are files."""
    from jxc_desktop.services.safety import backup_files as bf
    from jxc_desktop.services.shop.stored_settings import stored_setting

    def plain(rows: Rows) -> tuple[Path, datetime | None]:
        folder = bf.backup_folder(stored_setting(rows, bf.BACKUP_DIR_KEY), ctx.path)
        shop_id = stored_setting(rows, bf.SHOP_ID_KEY) or ""
        return folder, bf.last_good_time(stored_setting(rows, bf.LAST_BACKUP_KEY), folder, shop_id, ctx.path)

    folder, last = ctx.read(plain, lambda services: (services.backup.backup_dir(), services.backup.last_good_backup()))
    for path in bf.list_backups(folder):
        print(_describe_line(bf.describe(path)))
    print(_last_good_line(last))
    return 0


def cmd_backup(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.list and ctx.server is None:
        return _backup_list(ctx)
    services = ctx.services  # the backup service loads SQLAlchemy: only the commands that need it open it
    line = _dump_line if ctx.server is not None else _describe_line  # a server shop: pg_dump archives
    if args.list:  # a server shop: its pg_dump archives
        from jxc_desktop.services.safety.server_backup import ServerBackupService

        assert isinstance(services.backup, ServerBackupService)
        for info in services.backup.copies():
            print(_dump_line(info))
        last = services.backup.last_good_backup()
        print(_last_good_line(last))
        return 0
    if args.auto:  # for a scheduled task: no PIN, a copy at most once a day, into the backup folder
        made = services.backup.auto_backup()
        print(line(made) if made else "already backed up today")
        return 0
    require_owner(ctx, actions.BACKUP)
    info = services.backup.backup(args.to)
    print(line(info))
    return 0


def cmd_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    source = Path(args.file).expanduser()
    if ctx.server is not None:
        return _restore_server(args, ctx, source)
    from jxc_desktop.db.filecheck import check_file
    from jxc_desktop.services.safety import backup as bk

    info = bk.describe(source)
    print(_describe_line(info))
    if not info.ok:
        raise DatabaseError("This backup cannot be restored: {reason}", reason=info.problem)
    current = check_file(ctx.path)
    folder = bk.default_backup_dir(ctx.path)
    if current.holds_data:
        # The current file is healthy: its PIN guards the restore and its backup folder keeps it.
        require_owner(ctx, actions.RESTORE)
        folder = ctx.services.backup.backup_dir()
        ours = ctx.services.backup.shop_id(create=False)
        if info.shop_id and ours and info.shop_id != ours and not args.other_shop:
            raise StateError("{path} is a backup of another shop, not of this one ({data}); nothing was restored.",
                             path=str(source), data=str(ctx.path))
        ctx.close()
    if not args.yes:
        if not (sys.stdin is not None and sys.stdin.isatty()):
            raise ValidationError("Restoring replaces {path}: add --yes to confirm", path=str(ctx.path))
        answer = input(f"Replace {ctx.path} by this backup? The current file is kept first. [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("not restored")
            return 1
    result = bk.restore_file(source, ctx.path, folder)
    print(f"restored {ctx.path} from {result.restored_from}")
    if result.saved_current:
        print(f"the previous file was kept as {result.saved_current}")
    if result.upgraded_from:
        print(f"upgraded from schema {result.upgraded_from}")
    return 0


def _restore_server(args: argparse.Namespace, ctx: CliContext, source: Path) -> int:
    """A shop on a server: the pg_dump archive is checked in a scratch database, the current shop
    kept as a before-restore copy, then the shop replaced in one transaction (server_backup.py)."""
    require_owner(ctx, actions.RESTORE)
    if not args.yes:
        if not (sys.stdin is not None and sys.stdin.isatty()):
            raise ValidationError("Restoring replaces {path}: add --yes to confirm", path=ctx.shown)
        answer = input(f"Replace the shop in {ctx.shown} by this backup? The current one is kept first. [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("not restored")
            return 1
    result = ctx.services.backup.restore(source)
    print(f"restored {ctx.shown} from {result.restored_from}")
    print(f"the previous shop was kept as {result.saved_current}")
    return 0


def _ask_new_pin(args: argparse.Namespace) -> str:
    if args.new_pin_file:
        return read_pin_file(args.new_pin_file)
    if not (sys.stdin is not None and sys.stdin.isatty()):
        raise ValidationError("Give the new PIN with --new-pin-file FILE")
    first = getpass.getpass("new PIN: ")
    if getpass.getpass("again: ") != first:
        raise ValidationError("The two PINs differ")
    return first


def cmd_pin_set(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.safety.pin import validate_pin

    pins = ctx.services.pin
    new = validate_pin(_ask_new_pin(args))
    current = provided_pin(ctx) if pins.is_set() else None
    if pins.is_set() and current is None:  # nothing to check: refuse without using up a try
        raise PermissionDeniedError("This needs the owner PIN: pass --pin-file FILE")
    code = pins.set_pin(new, current_pin=current)
    print("PIN set")
    print(f"recovery code (write it down and keep it away from the till; shown only now): {code}")
    return 0


def cmd_pin_clear(args: argparse.Namespace, ctx: CliContext) -> int:
    pins = ctx.services.pin
    if not pins.is_set():
        print("no PIN is set")
        return 0
    current = provided_pin(ctx)
    if current is None:  # nothing to check: refuse without using up a try
        raise PermissionDeniedError("This needs the owner PIN: pass --pin-file FILE")
    pins.clear_pin(current)
    print("PIN cleared")
    return 0


def cmd_pin_status(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.domain.clock import utcnow
    from jxc_desktop.services.safety.pin_state import pin_status
    from jxc_desktop.services.shop.stored_settings import stored_setting

    st = ctx.read(lambda rows: pin_status(lambda key: stored_setting(rows, key), utcnow()),
                  lambda services: services.pin.status())
    if not st.is_set:
        print("no PIN is set")
    elif st.locked_until:
        print(f"PIN set; entry locked until {st.locked_until.astimezone().strftime('%H:%M:%S')}")
    else:
        print(f"PIN set; {st.tries_left} tries left")
    return 0


def cmd_pin_reset(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.recovery_code_file:
        ctx.services.pin.reset_with_code(read_pin_file(args.recovery_code_file))
    elif not args.owner:
        raise ValidationError("Resetting the PIN needs --recovery-code-file FILE, or --i-am-the-owner "
                              "(it is recorded in the audit log)")
    else:
        ctx.services.pin.reset(reason=args.reason or "jxc pin reset")
        print("without the recovery code: the window shows this reset until the owner acknowledges it")
    print("PIN removed; set a new one with: jxc pin set")
    return 0


def cmd_audit(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.safety.audit_list import query_entries

    require_owner(ctx, actions.VIEW_PROFIT)  # the trail holds old and new purchase prices
    since = day_start_utc(parse_day(args.since)) if args.since else None
    found = ctx.read(lambda rows: query_entries(rows, action=args.action, text=args.text, since=since,
                                                limit=args.limit),
                     lambda services: services.audit.query(action=args.action, text=args.text, since=since,
                                                           limit=args.limit))
    for e in found:
        when = e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        columns = [when, e.action, e.document, e.before, e.after, e.detail]
        if args.readable:  # an extra column, so scripts reading the first six keep working
            columns.append(f"{audit_text.readable(e.before)} -> {audit_text.readable(e.after)}")
        if args.who:
            columns.append(e.actor)
        print("\t".join(columns))
    return 0
