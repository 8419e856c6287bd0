"""The `asb-intake` command."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.platform.settings import PROJECT_ROOT, get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="asb-intake", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    triage = commands.add_parser("triage", help="safety triage of JSON Lines on standard input")
    triage.add_argument(
        "--eval",
        type=Path,
        metavar="FILE.jsonl",
        help="score the model against labelled lines instead (docs/safety-labelling.md)",
    )
    run = commands.add_parser("run", help="start every process (what `make run` does)")
    run.add_argument("--model", type=Path, default=PROJECT_ROOT / "models")
    run.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    run.add_argument("--actions-port", type=int, default=int(os.environ.get("ACTION_PORT", 5055)))
    run.add_argument(
        "--valkey-port", type=int, default=int(os.environ.get("ASB_VALKEY_PORT", 6399))
    )
    from bot.partners.cli import add_commands

    add_commands(commands)
    from bot.cases.cli import add_commands as add_case_commands

    add_case_commands(commands)
    from bot.privacy.cli import add_commands as add_privacy_commands

    add_privacy_commands(commands)
    from bot.community.staff_keys import add_commands as add_staff_commands

    add_staff_commands(commands)
    from bot.community.summary_cli import add_commands as add_summary_commands

    add_summary_commands(commands)
    from bot.community.monthly_updates import add_commands as add_updates_commands

    add_updates_commands(commands)
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except RuntimeError as exc:  # a setup problem the operator can fix: said plainly
        print(f"asb-intake: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "triage":
        from bot.safety.cli import evaluate_file
        from bot.safety.cli import run as run_triage

        if args.eval is not None:
            return evaluate_file(args.eval, sys.stdout)
        return run_triage(sys.stdin, sys.stdout)
    if args.command in ("deliveries", "partners"):
        from bot.partners.cli import run as run_partners

        return run_partners(args)
    if args.command == "hotspots":
        from bot.cases.cli import run as run_hotspots

        return run_hotspots(args)
    if args.command in ("erase", "keys"):
        from bot.privacy.cli import run as run_privacy

        return run_privacy(args)
    if args.command == "staff":
        from bot.community.staff_keys import run as run_staff

        return run_staff(args)
    if args.command == "summary":
        from bot.community.summary_cli import run as run_summary

        return run_summary(args)
    if args.command == "updates":
        from bot.community.monthly_updates import run as run_updates

        return run_updates(args)
    if args.command == "run":
        from bot.platform.processes import Ports
        from bot.platform.stack import run_forever

        settings = get_settings()
        ports = Ports(settings.port, args.rasa_port, args.actions_port, args.valkey_port)
        return run_forever(settings, ports, args.model)
    return 2


if __name__ == "__main__":
    sys.exit(main())
