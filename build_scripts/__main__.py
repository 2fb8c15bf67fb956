"""Command line: python -m build_scripts {validate,build,...} --help"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .problems import InputError

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m build_scripts",
        description="Validate the curated data and build the open-data portal.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check the data package; exit 1 on any problem",
        description="Check types, keys and domain rules of data/; with "
        "--archive also check every figure against the archived sources.",
    )
    _data_options(validate)

    build = commands.add_parser(
        "build",
        help="validate, then build the package, charts, pages and site/",
        description="Validate, write the data package, render charts and pages, "
        "run MkDocs; site/ is replaced only when everything succeeded.",
    )
    _data_options(build)
    build.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    build.add_argument(
        "--work",
        type=Path,
        default=ROOT / "build",
        help="folder for generated pages, the chart cache and the staging site (default: build/)",
    )
    build.add_argument("--no-mkdocs", action="store_true", help="stop after generating pages")

    synth = commands.add_parser(
        "synth",
        help="write a synthetic data set of any size (with an archive) for benchmarks",
        description="Write a complete, valid data folder with the real schema, and an archive of synthetic "
        "source documents that every figure cites, so that any size can be validated and built.",
    )
    synth.add_argument("--indicators", type=int, required=True, help="number of indicators")
    synth.add_argument("--places", type=int, required=True, help="number of places (provinces and the country)")
    synth.add_argument("--periods", type=int, required=True, help="number of yearly periods")
    synth.add_argument("--out", type=Path, required=True, help="folder to write data/ and archive/ into")
    synth.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")

    release = commands.add_parser(
        "release",
        help="snapshot the data as the version in data/package.yml; write CHANGELOG.md and CITATION.cff",
        description="Validate the data, store it in data/releases/<version>/ (refused when that version was "
        "released with other data), then regenerate CHANGELOG.md and CITATION.cff.",
    )
    _data_options(release)

    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            from .pipeline import validate_data

            validate_data(args.data, args.archive)
            print(
                f"OK: {args.data} is valid"
                + (
                    ""
                    if args.archive
                    else " (provenance NOT checked: pass --archive DIR to check hashes and cited lines)"
                )
            )
        elif args.command == "build":
            from .pipeline import build_site

            build_site(args.data, args.out, archive=args.archive, run_mkdocs=not args.no_mkdocs, work=args.work)
        elif args.command == "release":
            from .pipeline import release_data

            print(release_data(args.data, args.archive))
        elif args.command == "synth":
            from .synth import write_synthetic

            data, archive = write_synthetic(args.out, args.indicators, args.places, args.periods, args.seed)
            print(f"Wrote {data} and {archive}")
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
    except OSError as error:
        where = error.filename or "the output folder"
        print(f"error: cannot write {where}: {error.strerror or error} "
              f"(the previous site, if any, is unchanged)", file=sys.stderr)
        return 2
    return 0


def _data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="folder of the CSV files (default: data/)")
    parser.add_argument(
        "--archive", type=Path, default=None, help="folder of the archived source documents (e.g. ../shared/sources)"
    )


if __name__ == "__main__":
    sys.exit(main())
