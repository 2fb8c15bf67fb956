"""MkDocs for one language, rendering only the pages whose inputs changed since the last build.

    python -m build_scripts.mkdocs_run mkdocs CONFIG KEPT [--when-told]   (as `mkdocs build --strict --quiet -f CONFIG`)

A page's HTML is its Markdown through the theme's templates, and what else it reads was found by
experiment (tests/test_incremental.py checks it): the configuration (site name, extra, nav, theme,
extensions), the theme's and overrides' files, the installed MkDocs, Material and Markdown code, the
set of files (a link's target and its URL), and, through the navigation every page shows, the nav
pages' titles (always given in the nav here) and front matter (icon, status). Nothing of another
page's body. All of these make one shared fingerprint: when it changes, when the kept HTML is not
as written, or when the configuration has what is not followed here (plugins, hooks, extra
templates, anchor checks above info), MkDocs builds everything as it always did (mkdocs.commands.
build.build); else only the pages whose Markdown changed are rendered (MkDocs' own _populate_page
and _build_page), static files copied when their bytes changed, 404.html and the sitemaps (which
show only shared inputs) copied from the kept ones, and the rest linked from the HTML kept in KEPT
(kept.py). Prints one JSON line: what was rendered. With --when-told, it imports MkDocs and then
waits for the build's word on stdin (engine.MkDocsProcesses) before it reads CONFIG.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import sysconfig
from pathlib import Path

import jinja2
from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.files import File, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from .kept import Kept, installed
from .site.search import search_digest

HERE = Path(__file__).resolve().parent
CODE = (HERE / "mkdocs_run.py", HERE / "kept.py", HERE / "site" / "search.py")
ALWAYS = ("sitemap.xml.gz",)  # written with the sitemap template


def digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def theme_files(config) -> list:
    """The theme's folders: an installed package's are its version (installed()); any other folder
    (the overrides) is read, every file."""
    installed_at = {os.path.realpath(sysconfig.get_paths()[key]) for key in ("purelib", "platlib")}
    listed = []
    for folder in config.theme.dirs:
        real = os.path.realpath(folder)
        if any(real.startswith(prefix + os.sep) for prefix in installed_at):
            listed.append((folder, "installed"))
            continue
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(root, name)
                listed.append((os.path.relpath(path, folder), hashlib.sha256(Path(path).read_bytes()).hexdigest()))
    return listed


def not_followed(config) -> str | None:
    """What in the configuration can make a page depend on other pages in ways not fingerprinted."""
    if len(config.plugins):
        return "plugins"
    if config.extra_templates:
        return "extra_templates"
    if config.validation.links.anchors > logging.INFO:
        return "anchor validation"
    return None


def shared_fingerprint(config, config_file: Path, files, nav, installed_now: list) -> str | None:
    """What every page may show, or None when a nav page takes its title from its Markdown."""
    for page in nav.pages:
        if "title" not in vars(page):  # explicit nav titles are instance attributes (weak_property)
            return None
        page.read_source(config)  # its front matter shows in every page's navigation
    return digest(
        [hashlib.sha256(path.read_bytes()).hexdigest() for path in CODE],
        installed_now,
        sys.version,
        str(config_file.resolve()),
        config_file.read_bytes(),
        {name: os.environ.get(name) for name in ("SOURCE_DATE_EPOCH", "PYTHONHASHSEED")},
        theme_files(config),
        [(f.src_uri, f.dest_uri, f.url, f.inclusion.name, f.is_documentation_page()) for f in files],
        [(page.file.src_uri, page.title, page.meta) for page in nav.pages],
    )


def add_theme_files(config, files, env, kept: Kept, installed_now: list) -> list:
    """files.add_files_from_theme(), whose list of the theme's 15,000 templates is kept: the files it
    added, as long as the theme's folders, installed packages and templates are the same."""
    key = digest(installed_now, theme_files(config), config.theme.dirs, config.theme.static_templates)
    before = kept.state.get("theme") or {}
    if before.get("key") != key:
        known = {id(f) for f in files}
        files.add_files_from_theme(env, config)
        added = [[f.src_uri, f.src_dir] for f in files if id(f) not in known]
        return [key, added]
    for path, folder in before["added"]:
        if files.get_file_from_path(path) is None:
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))
    return [key, before["added"]]


def run(config_file: Path, kept_folder: Path) -> dict:
    config = load_config(config_file=str(config_file), strict=True)
    kept = Kept(kept_folder)
    files = get_files(config)
    jinja = kept.folder.parent / "jinja"  # the theme's templates compiled once, for every language
    jinja.mkdir(parents=True, exist_ok=True)
    cache_compiled_templates(config.theme, jinja)
    env = config.theme.get_env()
    installed_now = installed()
    theme_key, theme_added = add_theme_files(config, files, env, kept, installed_now)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    reason = not_followed(config)
    shared = None if reason else shared_fingerprint(config, config_file, files, nav, installed_now)
    if reason is None and shared is None:
        reason = "nav title from a page"
    if reason is None:
        reason = (
            "nothing kept"
            if not kept.state
            else "kept HTML changed"
            if not kept.intact()
            else "shared inputs changed"
            if kept.state.get("shared") != shared
            else None
        )
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    sources = {f.src_uri: hashlib.sha256(f.content_bytes).hexdigest() for f in doc_files}
    statics = {  # by content: an asset copied with its time kept (copytree) may change at the same size and time
        f.src_uri: hashlib.sha256(Path(f.abs_src_path).read_bytes()).hexdigest()
        for f in files
        if not f.is_documentation_page() and f.inclusion.is_included() and f.abs_src_path
    }
    kept.invalidate()
    if reason:
        kept.reset()
        mkdocs_build.build(config)
        rendered, linked = len(doc_files), set()
    else:
        rendered, linked = build_changed(config, files, nav, env, kept, sources, statics)
    html = keep_outputs(config, kept, files, linked=set() if reason else linked)
    if html is None:
        kept.reset()
        reason = reason or "unknown output"
    elif shared is not None:
        theme = {"key": theme_key, "added": theme_added}
        kept.save({"shared": shared, "sources": sources, "statics": statics, "html": html, "theme": theme})
    return {"rendered": rendered, "pages": len(doc_files), "full": reason, "html": html}


def cache_compiled_templates(theme, folder: Path) -> None:
    """Every Jinja environment the theme makes keeps the templates it compiles in folder, MkDocs' own
    full build's too: that one made an environment without the cache, so the first rebuild after a
    clean build compiled every template again, in each language's process (the one-change build of
    the benchmark: 0.6 to 0.8 s more in MkDocs at M). Compiled templates render the same HTML."""
    make = theme.get_env

    def get_env():
        env = make()
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        return env

    theme.get_env = get_env


def build_changed(config, files, nav, env, kept: Kept, sources: dict, statics: dict) -> tuple[int, set[str]]:
    """MkDocs' build() for the pages whose Markdown changed, the rest linked from the kept HTML.
    Returns how many pages were rendered, and the files linked."""
    site = Path(config.site_dir)
    utils.clean_directory(str(site))
    before = kept.state
    warnings = utils.CountHandler()
    warnings.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        changed, linked = [], set()
        for file in doc_files:
            if file.page is None:
                Page(None, file, config)
            if before["sources"].get(file.src_uri) == sources[file.src_uri] and kept.has(file.dest_uri):
                kept.link_into(site, file.dest_uri)
                linked.add(file.dest_uri)
            else:
                changed.append(file)
                mkdocs_build._populate_page(file.page, config, files)
        for file in files:
            if file.is_documentation_page() or not file.inclusion.is_included():
                continue
            same = file.src_uri in statics and before["statics"].get(file.src_uri) == statics[file.src_uri]
            if same and kept.has(file.dest_uri):
                kept.link_into(site, file.dest_uri)
                linked.add(file.dest_uri)
            else:
                file.copy_file()
        for template in config.theme.static_templates:  # 404.html, sitemap.xml: the shared inputs only
            outputs = [template] + (["sitemap.xml.gz"] if template == "sitemap.xml" else [])
            if all(kept.has(rel) for rel in outputs):
                for rel in outputs:
                    kept.link_into(site, rel, copy=True)  # a copy: the build adds hreflang in place
            else:
                mkdocs_build._build_theme_template(template, env, files, config, nav)
        for file in changed:
            mkdocs_build._build_page(file.page, config, doc_files, nav, env)
        if counts := warnings.get_counts():
            from mkdocs.exceptions import Abort

            raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
    return len(changed), linked


def keep_outputs(config, kept: Kept, files, linked: set[str]) -> dict[str, str] | None:
    """Keep what MkDocs wrote (what was not linked from the kept files: everything, after a full build)
    and forget what it no longer writes; the search digest of every HTML page (what the search index
    reads of it).
    None, and nothing kept, when MkDocs wrote a file that is neither a page, a static file nor a
    template's: what made it is not followed here."""
    site = str(config.site_dir)
    copied = set(config.theme.static_templates) | set(ALWAYS)  # 404.html, the sitemaps: never linked
    known = {f.dest_uri for f in files} | copied
    html, written = {}, set()
    for rel in _walk(site):
        written.add(rel)
        if rel not in known:
            return None
        if rel.endswith(".html"):
            html[rel] = kept.state["html"][rel] if rel in linked else search_digest(_read(site, rel))
        if rel not in linked:
            kept.keep(Path(site, rel), rel, copy=rel in copied)
    for rel in [r for r in kept.manifest if r not in written]:
        kept.forget(rel)
    return dict(sorted(html.items()))


def wait_to_be_told() -> bool:
    """Wait for the build's word on stdin: its environment as a JSON object, which becomes this
    process's (but PYTHONHASHSEED, fixed when Python started). False when the build closed stdin
    without a word: it stopped before MkDocs' turn."""
    line = sys.stdin.readline()
    if not line.strip():
        return False
    told = json.loads(line)
    told.pop("PYTHONHASHSEED", None)
    seed = os.environ.get("PYTHONHASHSEED")
    os.environ.clear()
    os.environ.update(told)
    if seed is not None:
        os.environ["PYTHONHASHSEED"] = seed
    return True


def _walk(folder: str) -> list[str]:
    """Every file under folder, as a path relative to it with '/' (os.walk: no Path object a file)."""
    found = []
    for base, _, names in os.walk(folder):
        prefix = os.path.relpath(base, folder).replace(os.sep, "/")
        found += [name if prefix == "." else f"{prefix}/{name}" for name in names]
    return sorted(found)


def _read(folder: str, rel: str) -> bytes:
    with open(os.path.join(folder, rel), "rb") as handle:
        return handle.read()


def main(argv: list[str]) -> int:
    when_told = argv[3:] == ["--when-told"]
    if len(argv) != 3 + when_told or argv[0] != "mkdocs":
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    if when_told and not wait_to_be_told():
        return 0
    logger = logging.getLogger("mkdocs")  # as `mkdocs build --quiet`: errors only
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    logger.addHandler(logging.StreamHandler())
    report = run(Path(argv[1]), Path(argv[2]))
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
