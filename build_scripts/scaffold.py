"""`python -m build_scripts new DIR`: a minimal project that validates and builds as it is.

Like `mkdocs new` and Open SDG's site starter: the configuration (data/site.yml, data/package.yml), one
row or a few in each table, an archived source every figure cites, the hand-written pages of each
language and a mkdocs.yml; and what makes it a repository that publishes itself (starter_files.py: a
README, the pinned generator, a .gitignore, its tests and a GitHub Actions workflow). Build it in DIR with
`odportal build`, then replace the example with real data. A language the generator has no texts for gets
a copy of the English texts in site.yml, to translate.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import yaml

from . import __version__, starter_files
from .config.files import EU_AUTHORITY
from .config.site import TEXTS, language_name, language_problem

SOURCE_FILE = "example-report.txt"
SOURCE_LINES = [  # the archived source: the figures below cite these lines
    "Example statistics office: household survey 2024",
    "",
    "In 2024, 81.5% of households had access to the internet.",
    "North region: 84.2%. South region: 78.9%.",
    "The plan sets a target of 90% of households by 2025.",
    "About 1.2 million households took part in the survey.",
]
FIGURES = [  # geo, period, kind, value, line, as_written
    ("EX", "2024", "actual", "81.5", 3, "81.5%"),
    ("EX-N", "2024", "actual", "84.2", 4, "84.2%"),
    ("EX-S", "2024", "actual", "78.9", 4, "78.9%"),
    ("EX", "2025", "target", "90", 5, "90%"),
]


class ScaffoldError(ValueError):
    """The folder or the languages asked for cannot be used."""


def write_project(folder: Path, languages: list[str]) -> list[Path]:
    """Write the starter project into folder (which must be empty or new); return the files written."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"{folder} is not empty: choose a new folder, so that nothing is overwritten")
    for lang in languages:
        problem = language_problem(lang)
        if problem:
            raise ScaffoldError(f"{problem}: choose codes such as en, fr, de or pt_BR")
    files = {
        "data/site.yml": _site_yml(languages),
        "data/package.yml": _package_yml(languages),
        "data/indicators.csv": _csv(
            ["indicator_id", *_each("name", languages), *_each("description", languages)]
            + ["unit", "topic", "higher_is_better", "is_headline"],
            [
                ["household-internet-share"]
                + ["Households with internet access"] * len(languages)
                + ["Share of households with access to the internet at home, in percent."] * len(languages)
                + ["percent", "access", "true", "true"]
            ],
        ),
        "data/places.csv": _csv(
            ["geo", *_each("name", languages), "level", "statistics_code", "valid_from", "valid_to", "successor"]
            + _each("reference", languages),
            [
                ["EX", *["Example country"] * len(languages), "country", "", "", "", ""] + [""] * len(languages),
                ["EX-N", *["North region"] * len(languages), "region", "", "", "", ""] + [""] * len(languages),
                ["EX-S", *["South region"] * len(languages), "region", "", "", "", ""] + [""] * len(languages),
            ],
        ),
        "data/sources.csv": _csv(
            ["source_id", "title", *_each("translated_title", languages), "publisher"]
            + [*_each("publisher_gloss", languages), "published", "place", "inferred", "url", "language"]
            + ["archive_file", "archive_sha256", "event_id", *_each("note", languages)],
            [
                ["example-survey-2024", SOURCE_LINES[0], *[""] * len(languages), "Example statistics office"]
                + [*[""] * len(languages), "2025-01-15", "", "", "", "en"]
                + [SOURCE_FILE, hashlib.sha256(_source_bytes()).hexdigest(), ""]
                + [""] * len(languages)
            ],
        ),
        "data/observations.csv": _csv(
            ["indicator_id", "geo", "period", "kind", "value", "qualifier", "is_derived", "source_id", "line"]
            + ["as_written", *_each("attributed_to", languages), *_each("note", languages)],
            [
                ["household-internet-share", geo, period, kind, value, "", "false", "example-survey-2024"]
                + [str(line), written, *[""] * (2 * len(languages))]
                for geo, period, kind, value, line, written in FIGURES
            ],
        ),
        "data/events.csv": _csv(
            ["event_id", "date", "kind", "session_number", *_each("title", languages), "chair", "source_id", "line"],
            [],
        ),
        "data/reports.csv": _csv(
            ["report_id", "source_id", "url", "publisher", "published", "language", "found_by"]
            + _each("note", languages),
            [],
        ),
        "data/reported_figures.csv": _csv(["report_id", "indicator_id", "geo", "period", "kind", "as_printed"], []),
        f"archive/{SOURCE_FILE}": _source_bytes().decode("utf-8"),
        "mkdocs.yml": _mkdocs_yml(languages),
        **starter_files.files(__version__, f"{starter_files.COMMAND} new {folder.name}"),
    }
    for lang in languages:
        files.update({f"docs/{lang}/{name}.md": body for name, body in _pages().items()})
    written = []
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _each(stem: str, languages: list[str]) -> list[str]:
    return [f"{stem}_{lang}" for lang in languages]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _source_bytes() -> bytes:
    return ("\n".join(SOURCE_LINES) + "\n").encode("utf-8")


def _per_language(languages: list[str], text: str) -> dict[str, str]:
    return {lang: text for lang in languages}


def _copied_texts(english: dict, lang: str) -> dict:
    """The English texts, for a language the generator has none for, with its own locale (Babel's most
    likely one: fr -> fr_FR), so that its pages do not say they are British English."""
    from babel.core import Locale, UnknownLocaleError, get_global

    try:
        likely = Locale.parse(get_global("likely_subtags").get(lang, lang))
    except (UnknownLocaleError, ValueError):
        return english
    locale = f"{likely.language}_{likely.territory}" if likely.territory else likely.language
    return {**english, "og_locale": locale}


def _site_yml(languages: list[str]) -> str:
    known = {p.stem for p in TEXTS.glob("*.yml")}
    english = yaml.safe_load((TEXTS / "en.yml").read_text(encoding="utf-8"))
    config = {
        "generator_version": __version__,  # the contract the starter's files follow
        "languages": languages,
        "featured_places": ["EX"],
        "place_code_pattern": "^EX(-[A-Z]+)?$",
        "place_levels": [
            {"id": "country", "name": _per_language(languages, "Country")},
            {"id": "region", "name": _per_language(languages, "Region"), "plural": _per_language(languages, "regions")},
        ],
        "topics": [{"id": "access", "name": _per_language(languages, "Access")}],
        "units": [
            {
                "id": "percent",
                "name": _per_language(languages, "%"),
                "format": "{value}%",
                "share": True,
                "scaled": False,
            },
            {"id": "count", "name": _per_language(languages, "count"), "format": "{value}"},
        ],
        "number_formats": {"en": {"group": ",", "decimal": ".", "scale_words": {"thousand": 1000, "million": 1000000}}},
        "citation_key": "example",
        "texts": {lang: _copied_texts(english, lang) for lang in languages if lang not in known},
    }
    if not config["texts"]:
        del config["texts"]
    head = (
        "# The site's configuration: languages, topics, units, places, how sources print numbers.\n"
        "# Every key is explained in the generator's README (Reuse the generator) and in data/site.yml\n"
        "# of the Vietnamese portal. Texts given for a language are English copies: translate them.\n"
    )
    if "texts" in config:
        head += (
            "# Three of them are codes, not words: og_locale (the language's likely locale, from Babel),\n"
            "# language_iri (the EU language authority's address: put the language's code for ENG) and\n"
            "# date_format (a Babel date pattern).\n"
        )
    return head + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)


def _package_yml(languages: list[str]) -> str:
    package = {
        "name": "example-open-data",
        "version": "0.1.0",
        "released": "2025-01-15",
        "title": _per_language(languages, "Example open data"),
        "description": _per_language(languages, "Figures from an example survey, each citing its source line."),
        "keywords": ["example"],
        "license": {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "iri": f"{EU_AUTHORITY}licence/CC_BY_4_0",
        },
        "creator": "Example open data contributors",
        "contributors": [{"title": "Example open data contributors", "roles": ["creator"]}],
        "contact": {"name": "Example open data contributors", "url": "https://example.org/"},
        "themes": [f"{EU_AUTHORITY}data-theme/SOCI"],
    }
    return (
        "# The data package's metadata: name, version, licence; the DCAT catalogue's contact point and\n"
        "# themes (IRIs of the EU data-theme table) and licence IRI (of the EU licence table).\n"
    ) + yaml.safe_dump(package, allow_unicode=True, sort_keys=False)


def _mkdocs_yml(languages: list[str]) -> str:
    return f"""# Plain MkDocs + Material configuration; the build writes one per language from it.
site_name: Example open data
site_url: !ENV [SITE_URL, "https://example.org/"]
docs_dir: build/docs/{languages[0]}
site_dir: site
use_directory_urls: true
strict: true

theme:
  name: material
  language: {languages[0]}
  font: false
  features:
    - navigation.prune
    - navigation.top

plugins: []

markdown_extensions:
  - tables
  - attr_list
  - md_in_html
  - admonition
  - toc:
      permalink: false

extra_css:
  - assets/portal.css

extra_javascript:
  - assets/portal.js

extra:
  generator: false
  alternate:
""" + "".join(
        f"    - name: {language_name(lang)}\n      lang: {lang}\n      link: {'' if i == 0 else lang + '/'!r}\n"
        for i, lang in enumerate(languages)
    )


def _pages() -> dict[str, str]:
    return {
        "index": "# Example open data\n\nFigures from an example survey. Replace this page with your own.\n",
        "about": "# About and licence\n\nThe data is published under CC BY 4.0.\n",
        "methodology": "# Methodology\n\nEach figure is recorded exactly as printed, with the line of its source.\n",
        "contributing": f"# Adding data\n\nArchive the source, add its rows, then check them with "
        f"`{starter_files.VALIDATE}`.\n",
    }
