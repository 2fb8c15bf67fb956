"""MkDocs, which turns the generated Markdown into HTML, one site per language: the flat
configuration of each language (navigation, language switcher, footer words), MkDocs run for every
language at once, and the search index made from what it published."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from .background import die_with_parent
from .config import mkdocs_file
from .config.mkdocs_file import merged
from .config.site import Events, SiteConfig, language_name
from .publish.releases import Freshness
from .site.i18n import default_language, languages, t
from .site.search import index_site

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = Path(__file__).resolve().parent / "site" / "overrides"  # the theme overrides, package data


def navigation(events: Events | None) -> list[tuple[str, str]]:
    """The navigation: (text key, page), each shown where its page exists; events: site.yml's."""
    return [
        ("home", "index.md"),
        ("search", "search.md"),
        ("indicators", "indicators/index.md"),
        ("places", "places/index.md"),
        ("sources", "sources/index.md"),
        *([("events", f"{events.path}/index.md")] if events else []),
        ("data", "data/index.md"),
        ("api", "api.md"),
        ("methodology", "methodology.md"),
        ("contributing", "contributing.md"),
        ("about", "about.md"),
    ]


def read_site_url(project: Path) -> str:
    """site_url as the project's mkdocs.yml sets it (the one place), honouring SITE_URL from the environment."""
    value = os.environ.get("SITE_URL") or project_config(project / "mkdocs.yml")["site_url"]
    return value.rstrip("/") + "/"


def project_config(path: Path) -> dict:
    """A project's mkdocs.yml as MkDocs reads it (config/mkdocs_file.py): !ENV resolved, INHERIT merged."""
    return mkdocs_file.read(path).config


def write_config(config: SiteConfig, work: Path, lang: str, site_url: str, metadata: dict, history: Freshness) -> Path:
    """build/mkdocs.<lang>.yml: mkdocs.yml with the language's folder and navigation merged in, flat
    (no INHERIT, which Zensical does not read) and with every path relative to its own folder, where
    MkDocs (and Zensical) resolve docs_dir, site_dir and theme.custom_dir (the generator's overrides,
    reached by ../ when the work folder is elsewhere)."""
    path = work / f"mkdocs.{lang}.yml"
    here = path.parent

    def relative(target: Path) -> str:
        return os.path.relpath(target, here)

    nav = [
        {theme_t(key, lang): page} for key, page in navigation(config.events) if (work / "docs" / lang / page).exists()
    ]
    language = {
        "site_name": theme_text(metadata["title"][lang]),
        "site_description": theme_text(metadata["description"][lang]),
        "docs_dir": relative(work / "docs" / lang),
        "site_dir": relative(work / "staging" / f"site-{lang}"),
        "site_url": site_url if lang == default_language() else f"{site_url}{lang}/",
        "theme": {"name": "material", "language": lang, "custom_dir": relative(OVERRIDES)},
        "nav": nav,
        "extra": {
            # link: from this language's root to the other's; url: the other's absolute root. A site in one
            # language has no language switcher (an empty list: mkdocs.yml's own would still show one)
            "alternate": [
                {
                    "name": language_name(other),
                    "lang": other,
                    "url": f"{site_url}{language_prefix(other)}",
                    "link": _up(lang) + language_prefix(other),
                }
                for other in languages()
                if len(languages()) > 1
            ],
            "root_prefix": _up(lang),
            "feed_title": theme_t("feed_title", lang),
            "freshness_label": theme_t("data_changed", lang),
            "version_label": theme_t("changed_in_version", lang),  # the release in which the page's data changed
            "scroll_hint": theme_t("scroll_hint", lang),
            "og_locale": theme_t("og_locale", lang),
            "footer": {
                "licence_label": theme_t("licence", lang),
                "licence_title": theme_text(metadata["license"]["title"]),
                "licence_url": metadata["license"]["path"],
                "version_label": theme_t("data_version_label", lang),
                "package_file": f"{metadata['name']}.zip",
                "package_label": theme_t("zip", lang),
                "data_label": theme_t("data_and_api", lang),
            },
            "table_word": theme_t("table_word", lang),
            "chart_hint": theme_t("chart_hint", lang),
            "search_label": theme_t("search", lang),
            "not_found": {
                "title": theme_t("not_found_title", lang),
                "text": theme_t("not_found_text", lang),
                "home": theme_t("not_found_home", lang),
                # a host serves one 404 page at any address (GitHub Pages: the root's): it speaks every language
                "elsewhere": [
                    {
                        "lang": other,
                        "title": theme_t("not_found_title", other),
                        "text": theme_t("not_found_text", other),
                        "home": theme_t("not_found_home", other),
                        "link": _up(lang) + language_prefix(other),
                    }
                    for other in languages()
                    if other != lang
                ],
            },
            "data_changed": theme_text(history.changed_text(None, lang)),
            "data_version": history.version(None),
        },
    }
    merged_config = merged(project_config(config.project / "mkdocs.yml"), language)
    path.write_text(yaml.safe_dump(merged_config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def theme_text(text: str) -> str:
    """A configuration text as the theme may print it: Material prints site_name and site_description
    into HTML unescaped in most places (the logo's aria-label, <title>, the description meta) and
    escaped in two (the logo's title attribute). So '<', '>' and '"' are written as references, and
    '&' where it would start one; a plain '&' ("Tom & Jerry") stays, and reads right in both."""
    text = re.sub(r"&(?=[A-Za-z0-9#])", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def theme_t(key: str, lang: str) -> str:
    """An interface text as the theme's templates may print it (they print config.extra unescaped)."""
    return theme_text(t(key, lang))


def language_prefix(lang: str) -> str:
    """Where a language's site lives under the site root: '' for the default language, 'en/' for English."""
    return "" if lang == default_language() else f"{lang}/"


def _up(lang: str) -> str:
    """From a language's site root back to the site root."""
    return "../" if lang != default_language() else ""


class MkDocsProcesses:
    """MkDocs for every language, one process each (mkdocs_run.py), as `mkdocs build --strict --quiet`
    does, rendering only the pages whose inputs changed (the HTML of the others is kept in
    work/cache/html/<lang>/).

    They are started when the build starts, so that each imports MkDocs and Material (0.3 s) while the
    build reads the tables, and wait until build() has written their configurations and tells them to
    go, with the build's environment as it is then (SOURCE_DATE_EPOCH is set after they start). A build
    that fails first stops them (stop()); they die with it too (die_with_parent)."""

    def __init__(self, work: Path):
        env = {**os.environ, "PYTHONHASHSEED": "0"}  # fixed when Python starts: set here, not on go
        self.processes = {
            lang: subprocess.Popen(
                [
                    *(sys.executable, "-m", "build_scripts.mkdocs_run", "mkdocs"),
                    str((work / f"mkdocs.{lang}.yml").resolve()),
                    str((work / "cache" / "html" / lang).resolve()),
                    "--when-told",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=ROOT,
                env=env,
                preexec_fn=die_with_parent,
            )
            for lang in languages()
        }

    def build(self, staging: Path) -> dict[str, dict]:
        """Tell every language's process to build, wait for them, then move each language's site into
        its folder of staging/site. Per language: how many pages were rendered, of how many, why all of
        them if so, and each HTML file's digest."""
        told = (json.dumps(dict(os.environ)) + "\n").encode("utf-8")
        for process in self.processes.values():  # all at once, before waiting for any
            try:
                process.stdin.write(told)
                process.stdin.flush()
            except BrokenPipeError:  # it died before: its exit code and output say why, below
                pass
        failures, reports = [], {}
        try:
            for lang, process in self.processes.items():
                output, errors = process.communicate()
                if process.returncode != 0:
                    said = (output + errors).decode("utf-8", "replace")
                    failures.append(f"mkdocs ({lang}) failed:\n{said}")
                else:
                    *said, report = output.decode("utf-8").splitlines()
                    for line in said:  # what it noticed (a damaged manifest, state.py): said once, as its own
                        if line.startswith("  notice:"):
                            print(line, flush=True)
                    reports[lang] = json.loads(report)
        finally:  # interrupted or failed: no MkDocs process goes on writing into the staging folder
            self.stop()
        if failures:
            raise RuntimeError("\n".join(failures))
        site = staging / "site"
        os.rename(staging / f"site-{default_language()}", site)
        for lang in languages():
            if lang != default_language():
                os.rename(staging / f"site-{lang}", site / lang)
        return reports

    def stop(self) -> None:
        """Kill every process still running (one that was never told to build has written nothing)."""
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout, process.stderr):
                stream.close()


def rendered_note(reports: dict[str, dict]) -> str:
    """'12 of 1,604 pages rendered', and why all of them where they all were."""
    rendered = sum(r["rendered"] for r in reports.values())
    pages = sum(r["pages"] for r in reports.values())
    reasons = sorted({r["full"] for r in reports.values() if r["full"]})
    return f"{rendered} of {pages} pages rendered" + (f": {', '.join(reasons)}" if reasons else "")


def search_index(site: Path, work: Path, reports: dict[str, dict]) -> str:
    """The Pagefind index of the site, reused when no HTML page changed; 'reused' or 'reindexed'."""
    pages = {
        f"{language_prefix(lang)}{rel}": digest
        for lang, r in reports.items()
        for rel, digest in (r["html"] or {}).items()
    }
    return index_site(site, work / "cache" / "pagefind", pages if all(r["html"] for r in reports.values()) else None)
