"""The user's configuration: named corpora and which one opens by default.

A YAML file in the user's config directory (`~/.config/briefreader/config.yaml` on Linux,
`$XDG_CONFIG_HOME` respected; `BRIEFREADER_CONFIG` names another file)::

    corpora:
      kamer: ~/Documents/kamerbrieven
      werk: /data/brieven
    default: kamer        # a name from `corpora`, or a folder

The file is optional. It is read by `briefreader.yamlfile` (safe loading only, size and nesting
limits), and a file that can't be used never stops briefreader: its problems become warnings naming
the file (and the line).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from briefreader.yamlfile import YamlProblem, read_yaml

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
    for key in data:
        if key not in ("corpora", "default"):
            warnings.append(f"{path}: `{key}` ignored: unknown key (known: corpora, default)")
    return Config(
        path,
        corpora=corpora,
        default=None if default is None else str(default).strip() or None,
        warnings=tuple(warnings),
    )


__all__ = ["Config", "config_path", "load_config"]
