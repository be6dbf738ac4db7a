"""The pattern tables of the code scan (law/model_patterns.yaml), compiled once per process.

Which files are code of which language, which folders are vendored, the fixed strings git
pre-filters with, and each provider's regular expressions (with ``{macro}`` expansion).
"""

from __future__ import annotations

import fnmatch
import re
from functools import cache
from typing import Any, Iterable

from aiact_lint.lawdata import table
from aiact_lint.record import Record

MANIFEST_NAMES = ("aiact.yaml", "aiact.yml")
SUPPRESSION_MARK = "aiact-lint:"


class Entry(Record):
    """One provider or SDK from law/model_patterns.yaml (regexes compiled on first use)."""

    __slots__ = ("examples", "fixed", "hints", "kind", "languages", "name", "patterns")

    def __init__(
        self,
        name: str,
        kind: str,
        languages: tuple[str, ...],
        fixed: tuple[str, ...],
        patterns: tuple[str, ...],
        hints: tuple[tuple[str, str], ...],
        examples: tuple[dict[str, Any], ...],
    ) -> None:
        self.name = name
        self.kind = kind
        self.languages = languages
        self.fixed = fixed
        self.patterns = patterns
        self.hints = hints  # (capability, regex)
        self.examples = examples

    def applies(self, text: str) -> bool:
        return any(token in text for token in self.fixed)


class Patterns(Record):
    __slots__ = (
        "_language_res",
        "_skip_files_re",
        "_weights_re",
        "entries",
        "example_files",
        "languages",
        "max_bytes",
        "prefilter",
        "ref_ignore",
        "skip_dirs",
        "skip_files",
        "weights",
    )

    def __init__(
        self,
        entries: tuple[Entry, ...],
        languages: dict[str, tuple[str, ...]],
        example_files: dict[str, str],
        weights: tuple[str, ...],
        skip_dirs: frozenset[str],
        skip_files: tuple[str, ...],
        max_bytes: int,
        ref_ignore: frozenset[str],
        prefilter: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
        _language_res: tuple[tuple[str, re.Pattern[str]], ...],
        _weights_re: re.Pattern[str],
        _skip_files_re: re.Pattern[str],
    ) -> None:
        self.entries = entries
        self.languages = languages  # language -> globs
        self.example_files = example_files
        self.weights = weights
        self.skip_dirs = skip_dirs
        self.skip_files = skip_files
        self.max_bytes = max_bytes
        self.ref_ignore = ref_ignore
        self.prefilter = prefilter  # (languages, fixed)
        self._language_res = _language_res
        self._weights_re = _weights_re
        self._skip_files_re = _skip_files_re

    def language_of(self, rel: str) -> str | None:
        for name, regex in self._language_res:
            if regex.match(rel):
                return name
        return None

    def is_weights(self, rel: str) -> bool:
        return self._weights_re.match(rel) is not None

    def skipped(self, rel: str) -> bool:
        """In a vendored or generated folder, or a lock file / bundle: never scanned."""
        parts = rel.split("/")
        if any(p in self.skip_dirs or p.endswith(".egg-info") for p in parts[:-1]):
            return True
        return self._skip_files_re.match(parts[-1]) is not None

    def tokens(self, language: str) -> list[str]:
        """The fixed strings that make a file of ``language`` worth scanning: the entries'
        own ``fixed`` and the suppression mark (the git pre-filter covers them all)."""
        found = {SUPPRESSION_MARK}
        for entry in self.entries:
            if language in entry.languages:
                found.update(entry.fixed)
        return sorted(found)

    def entries_for(self, language: str) -> list[Entry]:
        return [e for e in self.entries if language in e.languages]


def _globs_re(globs: Iterable[str]) -> re.Pattern[str]:
    """git's default pathspec semantics: fnmatch where ``*`` also matches ``/``."""
    return re.compile("|".join(f"(?:{fnmatch.translate(g)})" for g in globs) or "(?!)")


_MACRO = re.compile(r"\{([a-z_]+)\}")


def expand(pattern: str, macros: dict[str, str], depth: int = 0) -> str:
    """Replace ``{name}`` by its macro (recursively); quantifiers such as ``{1,200}`` stay."""
    if depth > 5:
        raise ValueError("macros nest too deeply")

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise ValueError(f"unknown macro {{{name}}} in {pattern!r}")
        return expand(macros[name], macros, depth + 1)

    return _MACRO.sub(one, pattern)


@cache
def patterns() -> Patterns:
    data = table("model_patterns")
    macros: dict[str, str] = dict(data.get("macros") or {})
    entries = []
    for raw in data["providers"]:
        entries.append(
            Entry(
                name=raw["name"],
                kind=raw["kind"],
                languages=tuple(raw["languages"]),
                fixed=tuple(raw["fixed"]),
                patterns=tuple(expand(p, macros) for p in raw.get("patterns") or ()),
                hints=tuple(
                    (h["capability"], expand(h["regex"], macros)) for h in raw.get("hints") or ()
                ),
                examples=tuple(raw.get("examples") or ()),
            )
        )
    languages = {name: tuple(spec["globs"]) for name, spec in data["languages"].items()}
    return Patterns(
        entries=tuple(entries),
        languages=languages,
        example_files={name: spec["example_file"] for name, spec in data["languages"].items()},
        weights=tuple(data["weights"]),
        skip_dirs=frozenset(data["skip_dirs"]),
        skip_files=tuple(data["skip_files"]),
        max_bytes=int(data["max_bytes"]),
        ref_ignore=frozenset(data.get("ref_ignore") or ()),
        prefilter=tuple(
            (tuple(group["languages"]), tuple(group["fixed"])) for group in data["prefilter"]
        ),
        _language_res=tuple((name, _globs_re(globs)) for name, globs in languages.items()),
        _weights_re=_globs_re(data["weights"]),
        _skip_files_re=_globs_re(data["skip_files"]),
    )


@cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.MULTILINE)
