"""What a project made for an older generator must change: the contract's changes since each release.

A project records, in site.yml's generator_version, the version of the generator whose contract its
files follow (a project without the key was made for 1.0.0, before there was one). Within a major
version the contract only grows. When this generator's major version is newer than the project's,
validate reads nothing else: it lists each change since that version which the project's files show
(the file, the line, the column or key, and what to write instead), then asks for the new version.
Each release that changes the contract adds its changes to CHANGES, and CHANGELOG.md says why.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..problems import Problem
from .yamlfile import YamlDocument

VERSION_PATTERN = r"[0-9]+\.[0-9]+\.[0-9]+"
FIRST_CONTRACT = "1.0.0"  # the contract of a project that records no generator_version
KEY = "generator_version"


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def major(version: str) -> int:
    return version_tuple(version)[0]


@dataclass(frozen=True)
class Project:
    """What the checks read of a project: its site.yml and the header of each data file."""

    folder: Path
    label: str  # how messages name the data folder
    site: YamlDocument

    def header(self, resource: str) -> list[str]:
        path = self.folder / f"{resource}.csv"
        if not path.is_file():
            return []
        with path.open(encoding="utf-8-sig", newline="") as f:
            return next(csv.reader(f), [])

    def configured_column(self, resource: str, field: str) -> str | None:
        columns = self.site.value.get("columns") or {}
        return (columns.get(resource) or {}).get(field) if isinstance(columns, dict) else None


@dataclass(frozen=True)
class RenamedColumn:
    since: str
    resource: str
    old: str
    new: str

    def problems(self, project: Project) -> list[Problem]:
        header = project.header(self.resource)
        if self.old not in header or project.configured_column(self.resource, self.new) == self.old:
            return []
        return [
            Problem(
                f"{project.label}/{self.resource}.csv",
                1,
                self.old,
                "contract-renamed-column",
                f"the column '{self.old}' is '{self.new}' since odportal {self.since}",
                f"rename the column to '{self.new}', or keep its name with, in site.yml, "
                f"columns: {{{self.resource}: {{{self.new}: {self.old}}}}}",
            )
        ]


@dataclass(frozen=True)
class RenamedText:
    since: str
    old: str
    new: str

    def problems(self, project: Project) -> list[Problem]:
        texts = project.site.value.get("texts") or {}
        return [
            project.site.problem(
                f"texts.{lang}.{self.old}",
                "contract-renamed-text",
                f"the interface text '{self.old}' is '{self.new}' since odportal {self.since}",
                f"rename the key to '{self.new}'",
            )
            for lang, words in (texts.items() if isinstance(texts, dict) else ())
            if isinstance(words, dict) and self.old in words
        ]


@dataclass(frozen=True)
class MovedPages:
    """Pages whose addresses changed, unless a key keeps the old ones."""

    since: str
    key: str
    old: str
    new: str
    pattern: str  # where the pages are, {} the key's value

    def problems(self, project: Project) -> list[Problem]:
        if self.key in project.site.value:
            return []
        return [
            project.site.problem(
                "",
                "contract-moved-pages",
                f"the pages at {self.pattern.format(self.old)} are at {self.pattern.format(self.new)} "
                f"since odportal {self.since}",
                f"keep their addresses (and the links to them) with {self.key}: {self.old}, or set "
                f"{self.key}: {self.new} to let them move",
            )
        ]


CHANGES = (
    RenamedColumn("2.0.0", "places", "gso_code", "statistics_code"),
    RenamedColumn("2.0.0", "indicators", "pillar", "topic"),
    RenamedText("2.0.0", "pillar", "topic"),
    RenamedText("2.0.0", "all_in_pillar", "all_in_topic"),
    RenamedText("2.0.0", "gso_code", "statistics_code"),
    RenamedText("2.0.0", "field.pillar", "field.topic"),
    RenamedText("2.0.0", "field.gso_code", "field.statistics_code"),
    MovedPages("2.0.0", "topic_page_prefix", "pillar-", "topic-", "indicators/{}<topic>/"),
)


def contract_problems(project: Project, generator: str = __version__) -> list[Problem]:
    """What the project must change to meet this generator's contract; [] when it meets it."""
    recorded = project.site.value.get(KEY, FIRST_CONTRACT)
    if not isinstance(recorded, str) or not _is_version(recorded):
        return []  # check_site names the malformed value
    if major(recorded) > major(generator):
        return [
            project.site.problem(
                KEY,
                "contract-newer",
                f"the project was made for odportal {recorded}; this is odportal {generator}",
                f"install the generator it was made for: pip install 'odportal>={recorded},<{major(recorded) + 1}'",
            )
        ]
    if major(recorded) == major(generator):
        return []
    found = [
        problem
        for change in CHANGES
        if version_tuple(recorded) < version_tuple(change.since) <= version_tuple(generator)
        for problem in change.problems(project)
    ]
    return found + [
        project.site.problem(
            KEY,
            "contract-older",
            f"the project was made for odportal {recorded}; this is odportal {generator}",
            f"{'after the changes above, ' if found else ''}set {KEY}: {generator} in site.yml "
            "(CHANGELOG.md of the generator says what changed and why)",
        )
    ]


def _is_version(value: str) -> bool:
    return re.fullmatch(VERSION_PATTERN, value) is not None
