"""Reading a data folder's site.yml: checked by site_checks.py, then made a SiteConfig and activated.

The interface texts of each language are the generator's catalogue (build_scripts/site/texts/<lang>.yml)
with the site's own wording (site.yml texts.<lang>) laid over it.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from ..config.migrations import Project, contract_problems
from ..config.rules import check_site
from ..config.site import (
    DEFAULT_EVENTS_PATH,
    DEFAULT_PLACE_CODE,
    DEFAULT_STATISTICS_CODE,
    DEFAULT_TOPIC_PAGE_PREFIX,
    DEFAULT_UNIT_FORMAT,
    GENERATOR,
    MAX_FILE_BYTES,
    TEXTS,
    Events,
    Level,
    NumberFormat,
    SiteConfig,
    Unit,
    activate,
)
from ..config.yamlfile import read_yaml
from ..data.names import handwritten_page_problems
from ..problems import InputError, Problem


def use(data_dir: Path, label: str = "data") -> SiteConfig:
    """Read and check DIR/site.yml, and use it outside any `using()` block (site.activate); InputError
    naming every problem."""
    return activate(load_site(data_dir, label))


def load_site(data_dir: Path, label: str = "data") -> SiteConfig:
    path = Path(data_dir) / "site.yml"
    file = f"{label}/site.yml"
    if not path.exists():
        raise InputError(
            [
                Problem(
                    file,
                    None,
                    None,
                    "file-missing",
                    "the file does not exist",
                    "python -m build_scripts new DIR writes one to start from",
                )
            ]
        )
    document = read_yaml(path, file)
    if isinstance(document.value, dict):  # a project made for an older contract: what to change, first
        outdated = contract_problems(Project(Path(data_dir), label, document))
        if outdated:
            raise InputError(outdated)
    problems = check_site(document, _known_catalogues()) or _page_problems(document.value, project_of(Path(data_dir)))
    if problems:
        raise InputError(problems)
    return _site_from(document.value, project_of(Path(data_dir)), path.read_bytes())


def project_of(data_dir: Path) -> Path:
    """The project a data folder belongs to: the folder holding it, when that has its own mkdocs.yml
    (a portal made with `python -m build_scripts new`, an example); else the generator's own."""
    folder = data_dir.resolve().parent
    return folder if (folder / "mkdocs.yml").is_file() and (folder / "docs").is_dir() else GENERATOR


def _page_problems(value: dict, project: Path) -> list[Problem]:
    """The project's hand-written pages whose addresses the generated site takes (names.py), found before
    any work: the pages' languages and the events' folder come from site.yml."""
    events = value.get("events")
    events_path = events.get("path", DEFAULT_EVENTS_PATH) if isinstance(events, dict) else None
    return handwritten_page_problems(project, tuple(value["languages"]), events_path)


@cache  # the generator's own files: read once a process (pure-Python YAML takes 0.05 s a file)
def _known_catalogues() -> dict[str, dict]:
    return {p.stem: read_yaml(p, f"build_scripts/site/texts/{p.name}").value for p in sorted(TEXTS.glob("*.yml"))}


def _site_from(value: dict, project: Path, raw: bytes = b"") -> SiteConfig:
    languages = tuple(value["languages"])
    catalogues = _known_catalogues()
    given = value.get("texts") or {}
    texts = {lang: {**catalogues.get(lang, {}), **(given.get(lang) or {})} for lang in languages}

    def each(mapping, lang):
        return mapping[lang] if isinstance(mapping, dict) else mapping

    units = {}
    for unit in value["units"]:
        names = unit["name"]
        formats = {lang: each(unit.get("format", DEFAULT_UNIT_FORMAT), lang) for lang in languages}
        units[unit["id"]] = Unit(
            unit["id"],
            names,
            formats,
            bool(unit.get("share", Unit.share)),
            bool(unit.get("signed", Unit.signed)),
            bool(unit.get("scaled", Unit.scaled)),
            bool(unit.get("ordinal", Unit.ordinal)),
        )
    levels = {
        level["id"]: Level(level["id"], level["name"], level.get("plural") or level["name"])
        for level in value["place_levels"]
    }
    events = value.get("events")
    formats = {
        lang: NumberFormat(
            spec["group"],
            spec["decimal"],
            {word: Decimal(str(factor)) for word, factor in (spec.get("scale_words") or {}).items()},
            {q: tuple(words) for q, words in (spec.get("qualifier_words") or {}).items()},
        )
        for lang, spec in (value.get("number_formats") or {}).items()
    }
    return SiteConfig(
        languages=languages,
        topics={topic["id"]: topic["name"] for topic in value["topics"]},
        units=units,
        levels=levels,
        featured_places=tuple(value.get("featured_places") or ()),
        place_code_pattern=value.get("place_code_pattern") or DEFAULT_PLACE_CODE,
        statistics_code_pattern=value.get("statistics_code_pattern") or DEFAULT_STATISTICS_CODE,
        columns={name: dict(named) for name, named in (value.get("columns") or {}).items()},
        topic_page_prefix=value.get("topic_page_prefix") or DEFAULT_TOPIC_PAGE_PREFIX,
        events=(
            Events(events.get("path", DEFAULT_EVENTS_PATH), {k["id"]: k["name"] for k in events["kinds"]})
            if events
            else None
        ),
        number_formats=formats,
        citation_key=value.get("citation_key") or "",
        spatial_iri=(value.get("spatial") or {}).get("iri"),
        spatial_bbox=_floats((value.get("spatial") or {}).get("bbox")),
        spatial_centroid=_floats((value.get("spatial") or {}).get("centroid")),
        max_file_bytes=(value.get("publishing") or {}).get("max_file_bytes") or MAX_FILE_BYTES,
        texts=texts,
        project=project,
        raw=raw,
    )


def _floats(values: list | None) -> tuple[float, ...] | None:
    return tuple(float(v) for v in values) if values else None
