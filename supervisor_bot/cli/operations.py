"""`python main.py backup|restore|plan …`: running a deployment — its data folder copied and put back, its plan
revised."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from storage.backup import make_backup, restore_backup
from supervisor_bot.cli.store_commands import add_command as add_store_command
from supervisor_bot.cli.store_commands import store_command
from supervisor_bot.settings.settings import load_settings

Handler = Callable[[argparse.Namespace], int]


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Handler]:
    backup = commands.add_parser("backup", help="备份数据目录（机器人运行时也可执行，得到一致的副本）")
    backup.add_argument("out", type=Path, metavar="OUT.tar.gz", help="备份文件")
    restore = commands.add_parser("restore", help="从备份文件恢复到（空的）数据目录")
    restore.add_argument("archive", type=Path, metavar="IN.tar.gz", help="备份文件")
    plan = commands.add_parser("plan", help="方案：修订（diff、update）、添加（add）、停止督办（retire）")
    steps = plan.add_subparsers(dest="step", required=True, metavar="diff|update|add|retire")
    diff = steps.add_parser("diff", help="逐项列出新方案与已存数据的差异")
    diff.add_argument("args", nargs="+", metavar="[KEY] NEW_FILE", help="方案简称（多个方案时）和修订后的方案文件")
    update = steps.add_parser("update", help="按新方案更新已存数据（请先停止机器人）")
    update.add_argument("args", nargs="+", metavar="[KEY] NEW_FILE", help="方案简称（多个方案时）和修订后的方案文件")
    add = steps.add_parser("add", help="添加一个方案（[[plans]]，请先停止机器人）")
    add.add_argument("key", metavar="KEY", help="方案简称，例如 营商环境")
    add.add_argument("file", type=Path, metavar="FILE", help="方案文件")
    retire = steps.add_parser("retire", help="停止督办一个方案：不再开启报送，历史保留（请先停止机器人）")
    retire.add_argument("key", metavar="KEY", help="方案简称")
    add_store_command(commands)
    return {"backup": _backup, "restore": _restore, "plan": _plan, "store": store_command}


PG_DUMP = (
    '数据保存在 PostgreSQL 数据库中（[storage] backend = "postgresql"），本命令只备份数据目录，因此不执行。\n'
    "请用 PostgreSQL 自带的工具备份和恢复（机器人运行时也可执行，得到一致的副本）：\n"
    '  pg_dump --format=custom --file=duban.dump "$SUPERVISOR_DATABASE_URL"\n'
    '  pg_restore --clean --if-exists --dbname="$SUPERVISOR_DATABASE_URL" duban.dump   （恢复前先停止机器人）\n'
    "或交由数据库管理员按单位的数据库备份制度（基础备份加 WAL 归档）执行。"
)


def _backup(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.storage.postgresql:
        print(PG_DUMP)
        return 2
    if not settings.data_dir.is_dir():
        print(f"错误：数据目录 {settings.data_dir} 不存在，无可备份", flush=True)
        return 2
    made = make_backup(settings.data_dir, args.out)
    print(f"已备份：{made.path}（{made.files}个文件，{made.size}字节，数据目录 {settings.data_dir}）")
    return 0


def _restore(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.storage.postgresql:
        print(PG_DUMP)
        return 2
    if not args.archive.is_file():
        print(f"错误：备份文件 {args.archive} 不存在")
        return 2
    try:
        count = restore_backup(args.archive, settings.data_dir)
    except FileExistsError:
        print(f"错误：数据目录 {settings.data_dir} 不是空的；请先停止机器人，把它移走（留作备查），再恢复")
        return 2
    print(f"已恢复：{count}个文件到 {settings.data_dir}；可以启动机器人")
    return 0


def _plan(args: argparse.Namespace) -> int:
    from supervisor_bot.cli import plan_revision

    if args.step == "add":
        return plan_revision.add(args.key, args.file)
    if args.step == "retire":
        return plan_revision.retire_plan(args.key)
    if len(args.args) > 2:
        print("用法：plan diff|update [方案简称] 新方案文件")
        return 2
    key, file = (args.args[0], Path(args.args[1])) if len(args.args) == 2 else ("", Path(args.args[0]))
    return plan_revision.diff(file, key) if args.step == "diff" else plan_revision.update(file, key)
