"""`python main.py store migrate --to postgresql|files`: the deployment's data copied from the backend it is on to
the other, checked table by table (rows and a checksum), while no bot runs on either."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from supervisor_bot.settings.settings import load_settings
from supervisor_bot.settings.storage import StorageSettings, where

EXIT_MISMATCH = 1
EXIT_REFUSED = 2


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    store = commands.add_parser("store", help="存储：在数据目录与 PostgreSQL 数据库之间迁移数据")
    steps = store.add_subparsers(dest="step", required=True, metavar="migrate")
    migrate = steps.add_parser(
        "migrate", help="把数据复制到另一种存储（目标须为空；请先停止机器人），并逐表核对行数和校验和"
    )
    migrate.add_argument(
        "--to", dest="target", required=True, choices=["postgresql", "files"], help="目标：postgresql 或 files"
    )


def store_command(args: argparse.Namespace) -> int:
    from supervisor_bot.composition.deployment import active
    from supervisor_bot.composition.lock import data_dir_lock

    settings = load_settings()
    url = StorageSettings("postgresql", settings.storage.database_url).url()
    on_database = replace(settings, storage=StorageSettings("postgresql", url))
    with data_dir_lock(settings.data_dir), active(on_database):  # no bot on the folder, none on the database
        return _migrate(args.target, settings.data_dir, url)


def _migrate(target: str, data_dir: Path, url: str) -> int:
    from storage.postgres.migrate import NotEmpty, to_database, to_files

    source, goal = (f"数据目录 {data_dir}", f"数据库 {where(url)}")
    if target == "files":
        source, goal = goal, source
    try:
        checked = to_database(data_dir, url) if target == "postgresql" else to_files(url, data_dir)
    except NotEmpty as error:
        print(f"错误：{error}，未作任何改动。迁移的目标必须为空。")
        return EXIT_REFUSED
    print(f"已从{source}复制到{goal}，逐表核对：")
    for c in checked:
        verdict = "一致" if c.ok else "不一致！"
        print(
            f"  {c.table:<16} 原 {c.source.rows:>7} 行  副本 {c.copy.rows:>7} 行  校验和 {c.copy.checksum[:12]}  {verdict}"
        )
    if not all(c.ok for c in checked):
        print("错误：副本与原数据不一致（见上表），请勿切换存储；保留原数据并报告问题。")
        return EXIT_MISMATCH
    print(f'核对一致。请把设置文件 [storage] backend 改为 "{target}"，再启动机器人。原数据保持不变，可留作备份。')
    return 0
