"""The project's mkdocs.yml as MkDocs reads it, and what reading it read: the files (itself and every
INHERIT) and the environment variables its `!ENV` tags name. Both are inputs of the build: the no-op
check digests them, and the check of the project's paths refuses an INHERIT outside the project."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass
class MkDocsFile:
    config: dict
    files: list[Path] = field(default_factory=list)  # mkdocs.yml, then each INHERIT, in the order read
    variables: list[str] = field(default_factory=list)  # the names `!ENV` tags read, in order


class InheritOutside(ValueError):
    """An INHERIT that names a file outside the project (the folder of mkdocs.yml): never read."""

    def __init__(self, path: Path, target: str):
        self.path, self.target = path, target
        super().__init__(f"{path}: INHERIT {target} is outside the project")


def read(path: Path) -> MkDocsFile:
    """An `!ENV [NAME, ..., default]` tag is the first variable set (and not empty) in the environment,
    else the default; an INHERIT (relative to the file) is read and merged under it as MkDocs merges it,
    when it is a file of the project (InheritOutside, else)."""
    read_so_far = MkDocsFile({})
    read_so_far.config = _read(Path(path), read_so_far, os.path.realpath(Path(path).parent))
    return read_so_far


def _read(path: Path, so_far: MkDocsFile, project: str) -> dict:
    so_far.files.append(path)

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: _environment_value(loader, node, so_far.variables))
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or {}
    if isinstance(config, dict) and "INHERIT" in config:
        target = str(config.pop("INHERIT"))
        parent = path.parent / target
        real = os.path.realpath(parent)
        if not real.startswith(project + os.sep):
            raise InheritOutside(path, target)
        if parent in so_far.files:
            raise ValueError(f"{path}: INHERIT {target} is inherited already (a loop)")
        config = merged(_read(parent, so_far, project), config)
    return config


def _environment_value(loader: yaml.SafeLoader, node: yaml.Node, names_read: list[str]):
    """One `!ENV` tag: a scalar names one variable; in a sequence of two or more the last is the default."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = node.value
        default = loader.construct_object(items[-1]) if len(items) > 1 else None
        names = [loader.construct_scalar(item) for item in (items[:-1] if len(items) > 1 else items)]
    names_read.extend(names)
    for name in names:
        if os.environ.get(name):  # typed as YAML types a plain scalar, as MkDocs' yaml_env_tag does
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def merged(base: dict, over: dict) -> dict:
    """over merged into a copy of base as MkDocs merges an INHERIT (mergedeep's REPLACE): a mapping in
    both is merged key by key, anything else (lists, texts, numbers) is over's; base's keys keep their
    order, over's new ones follow."""
    result = dict(base)
    for key, value in over.items():
        both = isinstance(result.get(key), dict) and isinstance(value, dict)
        result[key] = merged(result[key], value) if both else value
    return result
