"""The user's configuration: named corpora and which one opens by default.

A YAML file in the user's config directory (`~/.config/briefreader/config.yaml` on Linux,
`$XDG_CONFIG_HOME` respected; `BRIEFREADER_CONFIG` names another file)::

    corpora:
      kamer: ~/Documents/kamerbrieven
      werk: /data/brieven
    default: kamer        # a name from `corpora`, or a folder
    watch:                # what `briefreader sync` without arguments brings up to date
      dossiers: [32317, "21501-20", "36410 VI"]
      queries: [stikstof]
    sync:
      base_url: https://repository.overheid.nl/sru   # another SRU server (a mirror, a test server)

The file is optional. It is read by `briefreader.yamlfile` (safe loading only, size and nesting
limits), and a file that can't be used never stops briefreader: its problems become warnings naming
the file (and the line).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "briefreader"
CONFIG_ENV = "BRIEFREADER_CONFIG"


def config_path() -> Path:
    """Where the config file is (it need not exist): `$BRIEFREADER_CONFIG`, else the user config dir."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.yaml"


@dataclass(frozen=True)
class Config:
    """What the config file says: corpus names -> folders, the default, and problems found."""

    path: Path
    corpora: dict[str, Path] = field(default_factory=dict)
    default: str | None = None
    warnings: tuple[str, ...] = ()
    #: `watch.dossiers`, each in the repository's form (`32317`, `21501-20`, `36410-VI`).
    watch_dossiers: tuple[str, ...] = ()
    #: `watch.queries`: full-text queries for `briefreader sync`.
    watch_queries: tuple[str, ...] = ()
    #: `sync.base_url`: the SRU endpoint `briefreader sync` asks (None: the official repository).
    sync_base_url: str | None = None

    def corpus_path(self, name_or_path: str) -> Path:
        """A corpus name from `corpora`, or else the string as a folder path (`~` expanded)."""
        if name_or_path in self.corpora:
            return self.corpora[name_or_path]
        return _as_path(name_or_path, self.path)

    def default_corpus(self) -> Path | None:
        """The folder of the default corpus, or None when the config names none."""
        if self.default is None:
            return None
        return self.corpus_path(self.default)


def _as_path(value: str, config_file: Path) -> Path:
    path = Path(value).expanduser()
    # A relative folder in the config file means relative to that file, not to wherever
    # briefreader happens to be started.
    return path if path.is_absolute() else config_file.parent / path


def load_config(path: Path | None = None) -> Config:
    """Read the config file (default: `config_path()`); a missing file is an empty config."""
    path = config_path() if path is None else path
    if not path.exists():
        return Config(path)  # the usual case, decided without importing PyYAML
    from briefreader.yamlfile import YamlProblem, read_yaml

    try:
        data = read_yaml(path).data
    except FileNotFoundError:
        return Config(path)
    except YamlProblem as problem:
        return Config(path, warnings=(problem.message("config ignored"),))
    if data is None:
        return Config(path)
    if not isinstance(data, dict):
        return Config(path, warnings=(f"{path}: config ignored: expected `key: value` pairs",))

    warnings: list[str] = []
    corpora: dict[str, Path] = {}
    raw_corpora = data.get("corpora") or {}
    if isinstance(raw_corpora, dict):
        for name, folder in raw_corpora.items():
            if isinstance(folder, (str, int, float)) and str(folder).strip():
                corpora[str(name)] = _as_path(str(folder).strip(), path)
            else:
                warnings.append(f"{path}: corpus `{name}` ignored: expected a folder")
    else:
        warnings.append(f"{path}: `corpora` ignored: expected `name: folder` pairs")

    default = data.get("default")
    if default is not None and not isinstance(default, (str, int, float)):
        warnings.append(f"{path}: `default` ignored: expected a corpus name or a folder")
        default = None
    dossiers, queries = _read_watch(data.get("watch"), path, warnings)
    base_url = _read_sync(data.get("sync"), path, warnings)
    for key in data:
        if key not in _KNOWN_KEYS:
            warnings.append(f"{path}: `{key}` ignored: unknown key (known: {', '.join(_KNOWN_KEYS)})")
    return Config(
        path,
        corpora=corpora,
        default=None if default is None else str(default).strip() or None,
        warnings=tuple(warnings),
        watch_dossiers=dossiers,
        watch_queries=queries,
        sync_base_url=base_url,
    )


_KNOWN_KEYS = ("corpora", "default", "watch", "sync")


def _text_items(value, what: str, path: Path, warnings: list[str]) -> list[str]:
    """A list of short texts (or one text) from the config; other values become a warning each."""
    if value is None:
        return []
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        warnings.append(f"{path}: `{what}` ignored: expected a list")
        return []
    items = []
    for item in value:
        if isinstance(item, (str, int)) and not isinstance(item, bool) and str(item).strip():
            items.append(" ".join(str(item).split()))
        else:
            warnings.append(f"{path}: `{what}` entry {item!r} ignored: expected a number or a text")
    return items


def _read_watch(value, path: Path, warnings: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`watch: {dossiers: [...], queries: [...]}`: dossier numbers checked and normalised, queries as text."""
    if value is None:
        return (), ()
    if not isinstance(value, dict):
        warnings.append(f"{path}: `watch` ignored: expected `dossiers:` and `queries:` lists")
        return (), ()
    from briefreader.sync.cql import DossierError, dossier_number

    dossiers: list[str] = []
    for item in _text_items(value.get("dossiers"), "watch.dossiers", path, warnings):
        try:
            number = dossier_number(item)
        except DossierError as error:
            warnings.append(f"{path}: `watch.dossiers`: {error}; ignored")
            continue
        if number not in dossiers:
            dossiers.append(number)
    queries = list(dict.fromkeys(_text_items(value.get("queries"), "watch.queries", path, warnings)))
    for key in value:
        if key not in ("dossiers", "queries"):
            warnings.append(f"{path}: `watch.{key}` ignored: unknown key (known: dossiers, queries)")
    return tuple(dossiers), tuple(queries)


def _read_sync(value, path: Path, warnings: list[str]) -> str | None:
    """`sync: {base_url: http(s)://...}`."""
    if value is None:
        return None
    if not isinstance(value, dict):
        warnings.append(f"{path}: `sync` ignored: expected `base_url: URL`")
        return None
    for key in value:
        if key != "base_url":
            warnings.append(f"{path}: `sync.{key}` ignored: unknown key (known: base_url)")
    url = value.get("base_url")
    if url is None:
        return None
    if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")):
        warnings.append(f"{path}: `sync.base_url` ignored: expected an http(s) URL")
        return None
    return url.strip()


__all__ = ["Config", "config_path", "load_config"]
