"""Command line: `odportal {new,validate,build,serve,release,figures} --help` (the installed command), or
`python -m build_scripts …`. Run in a project folder (its data/, archive/, docs/, mkdocs.yml, as `new`
writes), it works on that project; --project or --data name another."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from pathlib import Path

from . import __version__
from .problems import InputError, shown_problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="odportal",
        description="Validate the curated data and build the open-data portal.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check the data package; exit 1 on any problem",
        description="Check types, keys and domain rules of data/; with "
        "--archive also check every figure against the archived sources.",
    )
    _data_options(validate)
    validate.add_argument(
        "--coverage",
        action="store_true",
        help="with --archive: list, per source, the printed figures that no observation cites yet",
    )

    figures = commands.add_parser(
        "figures",
        help="list every number printed in an archived source, and which are curated",
        description="List the numbers printed in an archived source FILE (found by its name in sources.csv's "
        "archive_file): likely figures first, then plain numbers; noise (dates, phone and decree numbers, years, "
        "page counters, URLs) is hidden and counted, or shown last with --all.",
    )
    figures.add_argument("file", type=Path, metavar="FILE", help="an archived source, e.g. ../shared/sources/000_….txt")
    figures.add_argument("--data", type=Path, default=Path("data"), help="folder of the CSV files (default: data/)")
    figures.add_argument("--all", action="store_true", help="show the noise too, with the reason it is noise")
    figures.add_argument("--format", choices=("table", "csv"), default="table", help="output format (default: table)")

    build = commands.add_parser(
        "build",
        help="validate, then build the package, charts, pages and site/",
        description="Validate, write the data package, render charts and pages, "
        "run MkDocs; site/ is replaced only when everything succeeded.",
    )
    _data_options(build)
    build.add_argument("--out", type=Path, default=None, help="output folder (default: site/ of the project)")
    build.add_argument(
        "--work",
        type=Path,
        default=None,
        help="folder for generated pages, the chart cache and the staging site (default: build/ of the project)",
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
    release.add_argument(
        "--notes",
        help="why the data changed, in a few sentences: CHANGELOG.md prints them under the version "
        "(given again for a released version, they replace its notes)",
    )

    new = commands.add_parser(
        "new",
        help="write a minimal project (configuration, tables, a source, pages) that builds as it is",
        description="Write DIR/data (site.yml, package.yml and one of each table), DIR/archive (the source its "
        "figures cite), DIR/docs/<language>/ and DIR/mkdocs.yml, with a README, a workflow that publishes it to "
        "GitHub Pages and a requirements file pinning this generator. Build it with `cd DIR && odportal build`.",
    )
    new.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder")
    new.add_argument(
        "--languages", default="en", help="site languages, the first the default, comma-separated (default: en)"
    )

    serve = commands.add_parser(
        "serve",
        help="build, then preview the site on http://localhost:PORT/",
        description="Build as `build` does, then serve the site folder on http://localhost:PORT/ until Ctrl-C.",
    )
    _data_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")

    reference = commands.add_parser(
        "reference",
        help="print the reference of every configuration key, made from the rules validate checks",
        description="Write the Markdown reference of site.yml, package.yml and overview.yml: each key's meaning, "
        "type, default, limits and an example, as the rules of build_scripts/config/ check them.",
    )
    reference.add_argument("--out", type=Path, default=None, help="write it to FILE (default: print it)")

    args = parser.parse_args(argv)
    if args.command in PROJECT_COMMANDS and args.project is None and args.data is None and Path("mkdocs.yml").is_file():
        args.project = Path.cwd()  # run in a project folder: that project
    if getattr(args, "data", "") is None:
        args.data = Path("data")
    if getattr(args, "project", None) is not None:
        args.project = args.project.resolve()  # the MkDocs configurations name folders from anywhere
        args.data = args.project / "data"
        if args.archive is None and (args.project / "archive").is_dir():
            args.archive = args.project / "archive"  # a project keeps its sources beside its data
    if args.command in ("build", "serve"):
        home = args.project if args.project is not None else args.data.resolve().parent
        args.out = getattr(args, "out", None) or home / "site"
        args.work = getattr(args, "work", None) or home / "build"
    if getattr(args, "coverage", False) and args.archive is None:
        parser.error("validate --coverage needs --archive DIR (the folder of the archived sources) to read them")
    if args.command in ("build", "serve"):
        # `kill` (SIGTERM) unwinds like an error: the staging folder is removed, a half-done swap undone
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        if args.command == "validate":
            from .pipeline import validate_data

            _, tables = validate_data(args.data, args.archive)
            print(
                f"OK: {args.data} is valid"
                + (
                    ""
                    if args.archive
                    else " (provenance NOT checked: pass --archive DIR to check hashes and cited lines)"
                )
            )
            if args.coverage:
                from .data.figures import coverage_report

                rows = {name: tables[name].rows for name in ("sources", "observations")}
                print(coverage_report(args.data, args.archive, rows["sources"], rows["observations"]))
        elif args.command == "figures":
            print(list_figures(args.file, args.data, args.all, args.format), end="")
        elif args.command in ("build", "serve"):
            from .pipeline import build_site

            no_mkdocs = getattr(args, "no_mkdocs", False)
            build_site(args.data, args.out, archive=args.archive, run_mkdocs=not no_mkdocs, work=args.work)
            if args.command == "serve":
                serve_site(args.out, args.port)
        elif args.command == "release":
            from .pipeline import release_data

            print(release_data(args.data, args.archive, args.notes))
        elif args.command == "new":
            from .scaffold import ScaffoldError, write_project

            try:
                written = write_project(
                    args.folder, [code.strip() for code in args.languages.split(",") if code.strip()]
                )
            except ScaffoldError as error:
                print(f"error: {error}", file=sys.stderr)
                return 2
            folder = args.folder
            print(f"Wrote {len(written)} files into {folder}. Build the site with: cd {folder} && odportal build")
        elif args.command == "reference":
            from .config.reference import reference_markdown

            if args.out is None:
                print(reference_markdown(), end="")
            else:
                args.out.write_text(reference_markdown(), encoding="utf-8")
        elif args.command == "synth":
            from .data.synth import write_synthetic

            data, archive = write_synthetic(args.out, args.indicators, args.places, args.periods, args.seed)
            print(f"Wrote {data} and {archive}")
    except InputError as error:
        for line in shown_problems(error.problems):
            print(line, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
    except OSError as error:
        print(os_error_line(args.command, error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"interrupted{UNCHANGED if args.command == 'build' else ''}", file=sys.stderr)
        return 130
    except Exception as error:
        if args.command not in ("build", "serve"):
            raise
        if not isinstance(error, RuntimeError):  # RuntimeError: a tool failed and said why (MkDocs)
            traceback.print_exc()
        else:
            print(error, file=sys.stderr)
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"error: the build failed: {type(error).__name__}: {reason}{UNCHANGED}", file=sys.stderr)
        return 1
    return 0


UNCHANGED = " (the previous site, if any, is unchanged)"


def list_figures(path: Path, data: Path, show_all: bool, output: str) -> str:
    """The `figures` command's output: a summary line and the table (or CSV) of the source's numbers."""
    from .data.figures import format_csv, format_table, ranked, read_rows, source_figures

    source, figures, _ = source_figures(path, data, read_rows(data, "sources"), read_rows(data, "observations"))
    shown = ranked(figures, show_all)
    if output == "csv":
        return format_csv(shown)
    from .data.figures import summary

    hint = "" if show_all else " (--all shows them)"
    head = f"{path.name}: source {source['source_id']} ({source['language']}); {summary(figures)}{hint}"
    return f"{head}\n{format_table(shown)}\n"


def os_error_line(command: str, error: OSError) -> str:
    """One line for a file-system error: what could not be read or written, why, and what it means."""
    stage = getattr(error, "stage", None)
    reading = command in ("validate", "figures") or stage in ("load", "validate")
    where = error.filename or ("the data" if reading else "the output folder")
    line = f"error: cannot {'read' if reading else 'write'} {where}: {error.strerror or error}"
    if command == "build":
        line += f" ({f'stage {stage}; ' if stage and not reading else ''}{UNCHANGED.strip()[1:-1]})"
    return line


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


PROJECT_COMMANDS = ("validate", "build", "serve", "release")  # those that read a project's data


def serve_site(site: Path, port: int) -> None:
    """Serve the built site folder on localhost until interrupted."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"Serving {site} on http://localhost:{port}/ (Ctrl-C stops)", flush=True)
        server.serve_forever()


def _data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=None, help="folder of the CSV files (default: data/)")
    parser.add_argument(
        "--project",
        type=Path,
        default=None,
        help="a project folder (data/, docs/, mkdocs.yml, as `new` writes): its data, pages and site",
    )
    parser.add_argument(
        "--archive", type=Path, default=None, help="folder of the archived source documents (e.g. ../shared/sources)"
    )


def exit_now(code: int) -> None:
    """End the process with code, without tearing the interpreter down: after a build it held the tables,
    the pages and matplotlib, and freeing them object by object took 0.5 to 0.8 s of every rebuild. Every
    file is closed and every process the build started has been waited for when main() returns; only
    the output streams still need flushing."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
