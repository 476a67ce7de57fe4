"""Command line: `python main.py matrix|demo …` (and `supervisor-bot`, the same)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from supervisor_bot.cli import operations
from supervisor_bot.composition.lock import AlreadyRunning
from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.plan_import import ImportResult
from supervisor_bot.exports.matrix_json import matrix_to_json, plans_to_json
from supervisor_bot.exports.matrix_summary import matrix_summary
from supervisor_bot.exports.matrix_table import matrix_table
from supervisor_bot.services.plans import load_plan
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import load_settings

EXIT_BAD_INPUT = 2
EXIT_ALREADY_RUNNING = 3
EXIT_INTERRUPTED = 130  # the shell's convention for a process stopped by SIGINT


CONFIG_HELP = "设置文件（默认：环境变量 SUPERVISOR_CONFIG，或 config/settings.toml）；其中的路径相对于它所在的文件夹"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="supervisor-bot", description="督办机器人：分工方案落实情况督办")
    parser.add_argument("--config", type=Path, metavar="PATH", help=CONFIG_HELP)
    shared = argparse.ArgumentParser(add_help=False)  # `main.py run --config PATH` as well as `--config PATH run`
    shared.add_argument("--config", type=Path, metavar="PATH", default=argparse.SUPPRESS, help=CONFIG_HELP)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    matrix = commands.add_parser("matrix", parents=[shared], help="从方案文本导入分工矩阵并输出")
    matrix.add_argument("plan", nargs="?", type=Path, help="方案文件（默认：设置文件 [plan] file 所指的方案）")
    matrix.add_argument("--departments", type=Path, help="单位名录（默认：设置文件 [plan] departments）")
    output = matrix.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")
    output.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="写出 Excel 分工表")

    demo = commands.add_parser(
        "demo", parents=[shared], help="演示：本地沙箱上运行机器人一个月（模拟时钟），无需令牌和网络"
    )
    demo.add_argument("--out", type=Path, default=Path("demo-output"), help="输出目录（默认 demo-output/）")
    demo.add_argument("--speed", type=float, default=None, help="模拟时钟倍速（默认每秒10小时）")
    demo.add_argument("--quiet", action="store_true", help="不打印对话过程")
    demo.add_argument("--serve", action="store_true", help="演示结束后保持督办看板运行，并打印登录链接")
    demo.add_argument(
        "--messenger",
        choices=("telegram", "wecom"),
        default="telegram",
        help="在哪个平台的本地沙箱上演示（默认 telegram）",
    )

    _rehearse_parser(commands, shared)

    run = commands.add_parser(
        "run", parents=[shared], help="运行机器人（TELEGRAM_BOT_TOKEN、TELEGRAM_BASE_URL 等见 README）"
    )
    run.add_argument(
        "--standby",
        action="store_true",
        help='备用：等待运行中的机器人退出后接替（需 [storage] backend = "postgresql"）',
    )
    commands.add_parser(
        "web", parents=[shared], help="只运行督办看板（数据库存储；只读，其上的操作交由运行中的机器人执行）"
    )
    commands.add_parser("check-config", parents=[shared], help="检查设置、方案、单位名录和节假日日历")

    digest = commands.add_parser("digest", parents=[shared], help="根据已存数据生成督办周报（文字、督办台账、进展图）")
    digest.add_argument("--out", type=Path, required=True, help="输出目录：digest.txt、ledger.xlsx、progress.png")
    digest.add_argument("--at", help="统计时点（默认：当前时间，或 SUPERVISOR_CLOCK_START），例如 2021-09-10T17:00")

    score = commands.add_parser("score", help="考核：各单位在一段期间内的得分、按时报送率和扣分明细")
    score.add_argument("--from", dest="start", required=True, help="开始日期，例如 2021-09-01")
    score.add_argument("--to", dest="end", required=True, help="结束日期（含），例如 2021-12-31")
    score.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")
    score.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="另写出 Excel 考核表")

    sandbox = commands.add_parser(
        "sandbox", help="启动本地沙箱：Telegram Bot API，或 --messenger wecom 企业微信（仅 127.0.0.1）"
    )
    sandbox.add_argument("--port", type=int, default=None, help="端口（默认 Telegram 8081，企业微信 8090）")
    sandbox.add_argument("--messenger", choices=("telegram", "wecom"), default="telegram", help="哪个平台的沙箱")
    parser.set_defaults(operations=operations.add_commands(commands))
    return parser


def _rehearse_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    rehearse = commands.add_parser(
        "rehearse",
        parents=[shared],
        help="演练：按本部署的方案、名录、报送安排和督办规则，在本地沙箱和临时数据目录中从今天起模拟运行",
    )
    rehearse.add_argument(
        "--months", type=int, default=None, help="模拟几个月（默认：按周1个月、按月3个月、按季度6个月）"
    )
    rehearse.add_argument(
        "--out", type=Path, default=Path("rehearsal-output"), help="输出目录（默认 rehearsal-output/）"
    )
    rehearse.add_argument("--speed", type=float, default=None, help="模拟时钟倍速（默认每秒10小时）")
    rehearse.add_argument("--quiet", action="store_true", help="不打印对话过程，只打印演练小结")


def _load(plan: Path | None, departments: Path | None) -> ImportResult:
    if plan is None or departments is None:  # the deployment's, as its settings file names them
        settings = load_settings(environ={**os.environ, "TELEGRAM_BOT_TOKEN": "", "TELEGRAM_BASE_URL": ""})
        plan, departments = plan or settings.plan_file, departments or settings.departments_file
    return load_plan(plan, departments)


def _deployment_plans(args: argparse.Namespace) -> list[tuple[str, str, Matrix]] | None:
    """A `[[plans]]` deployment's plans (key, title, matrix) when no plan file is named; else None."""
    if args.plan is not None:
        return None
    settings = load_settings(environ={**os.environ, "TELEGRAM_BOT_TOKEN": "", "TELEGRAM_BASE_URL": ""})
    if not settings.keyed:
        return None
    departments = args.departments or settings.departments_file
    return [(p.key, p.title, _load(p.file, departments).matrix) for p in settings.plans]


def _matrix(args: argparse.Namespace) -> int:
    """The matrix (a table, JSON or a spreadsheet); the table and the spreadsheet end with the summary to check."""
    plans = _deployment_plans(args) if args.json else None
    if plans is not None:
        json.dump(plans_to_json(plans), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    result = _load(args.plan, args.departments)
    if args.json:  # standard output stays JSON: the warnings go to standard error
        for problem in result.problems:
            print(f"提示：{problem}", file=sys.stderr)
        json.dump(matrix_to_json(result.matrix), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if args.xlsx:
        from supervisor_bot.exports.matrix_xlsx import write_matrix_xlsx  # XlsxWriter: loaded only when asked for

        write_matrix_xlsx(result.matrix, args.xlsx, result.problems)
        print(f"已写出分工表：{args.xlsx}")
    else:
        sys.stdout.write(matrix_table(result.matrix))
    sys.stdout.write(matrix_summary(result.matrix, result.problems))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from supervisor_bot.demo.run import SPEED, run_demo
    from supervisor_bot.settings.paths import config_dir

    if args.messenger == "wecom":
        from supervisor_bot.demo.wecom_month import run_wecom_demo

        return run_wecom_demo(args.out, speed=args.speed or SPEED, echo=not args.quiet)
    chosen = load_settings(environ={**os.environ, "TELEGRAM_BOT_TOKEN": "", "TELEGRAM_BASE_URL": ""}).source
    if chosen.resolve() != (config_dir() / "settings.toml").resolve():  # another deployment: its own rehearsal
        print("提示：demo 是济南示例；按所选部署的方案和规则演练（rehearse）。", file=sys.stderr)
        return _rehearse(argparse.Namespace(months=None, out=args.out, speed=args.speed, quiet=args.quiet))
    return run_demo(args.out, speed=args.speed or SPEED, echo=not args.quiet, serve=args.serve)


def _rehearse(args: argparse.Namespace) -> int:
    from supervisor_bot.demo.rehearse import SPEED, run_rehearsal

    if args.months is not None and not 1 <= args.months <= 24:
        print("错误：--months 应在 1 到 24 之间，例如 --months 3", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.speed is not None and args.speed <= 0:
        print("错误：--speed 应为正数，例如 --speed 36000（每秒10小时）", file=sys.stderr)
        return EXIT_BAD_INPUT
    return run_rehearsal(args.out, args.months, speed=args.speed or SPEED, echo=not args.quiet)


def _check_config(_: argparse.Namespace) -> int:
    from supervisor_bot.cli.check_config import check

    report = check()
    print(report.render())
    return EXIT_BAD_INPUT if report.errors else 0


def _digest(args: argparse.Namespace) -> int:
    from supervisor_bot.cli.digest import write_digest

    return write_digest(args.out, args.at)


def _score(args: argparse.Namespace) -> int:
    from supervisor_bot.cli.score import write_scores

    return write_scores(args.start, args.end, args.json, args.xlsx)


def _run(args: argparse.Namespace) -> int:
    from supervisor_bot.composition.run import run

    return run(standby=args.standby)


def _web(_: argparse.Namespace) -> int:
    from supervisor_bot.composition.web_only import run_dashboard

    return run_dashboard()


def _sandbox(args: argparse.Namespace) -> int:
    if args.messenger == "wecom":
        import asyncio

        from supervisor_bot.wecom_sandbox.server import serve

        asyncio.run(serve("127.0.0.1", args.port or 8090))
        return 0
    from supervisor_bot.sandbox import run_forever

    run_forever("127.0.0.1", args.port or 8081)
    return 0


def _choose_settings(config: Path | None) -> None:
    """`--config PATH`: the settings file every command reads (as SUPERVISOR_CONFIG would choose it)."""
    if config is not None:
        os.environ["SUPERVISOR_CONFIG"] = str(config.resolve())


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _choose_settings(args.config)
    handlers: dict[str, operations.Handler] = {
        "matrix": _matrix,
        "demo": _demo,
        "rehearse": _rehearse,
        "sandbox": _sandbox,
        "check-config": _check_config,
        "run": _run,
        "web": _web,
        "digest": _digest,
        "score": _score,
        **args.operations,
    }
    try:
        return handlers[args.command](args)
    except (PlanFormatError, ConfigError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except AlreadyRunning as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ALREADY_RUNNING
    except BrokenPipeError:  # `… | head`: the reader left; that is not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:  # Ctrl-C before a command's own stop handling was in place
        print("已中断。", file=sys.stderr)
        return EXIT_INTERRUPTED
