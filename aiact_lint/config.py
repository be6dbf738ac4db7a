"""Configuration: ``[tool.aiact-lint]`` in ``pyproject.toml``, or ``.aiact-lint.toml``.

Discovery walks up from the checked folder (the folder the command-line paths share, else the
working directory: :func:`discovery_start`) to the repository root (the folder holding
``.git``), or the home folder, or the file-system root; in each folder ``.aiact-lint.toml`` wins
over ``pyproject.toml``, and a ``pyproject.toml`` without ``[tool.aiact-lint]`` is skipped (ruff's
rule). ``--config PATH`` names the file instead. Flags on the command line win over the file.

Every key and rule code is validated; a mistake is an error (exit code 2) with a did-you-mean.
Selectors are rule codes, code prefixes (``AIA3``, ``AIA30``), rule names, or ``ALL``, and are
layered like ruff's: the configuration first, then the flags; within a layer the most specific
selector wins. Each effective setting remembers where it came from (``--show-settings``).

Only the standard library is imported at module level; TOML is parsed only when a file exists.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Iterable, Optional

from aiact_lint.options import FAIL_LEVELS, POLICIES, Options

CONFIG_NAMES = (".aiact-lint.toml", "pyproject.toml")
TABLE = "aiact-lint"
KEYS = (
    "select",
    "extend-select",
    "ignore",
    "severity",
    "fail-on",
    "modification-policy",
    "exclude",
    "model-aliases",
)
SEVERITIES = ("error", "warning", "info")
# A cheap test before parsing a pyproject.toml: does it mention [tool.aiact-lint] at all?
_MENTIONS_TABLE = re.compile(r"""tool\s*\.\s*["']?aiact-lint\b|aiact-lint["']?\s*=\s*\{""")
ALL = "ALL"


class SettingsError(Exception):
    """A problem with the configuration or the flags (exit code 2)."""


class Settings:
    """The effective settings of one run, and the origin of each (for ``--show-settings``)."""

    def __init__(self) -> None:
        self.file: Optional[Path] = None
        self.label = ""
        self.values: dict[str, Any] = {}
        self.origins: dict[str, str] = {}
        self.enabled: frozenset[str] = frozenset()
        self.always_on: tuple[str, ...] = ()


# --- discovery and parsing -------------------------------------------------------------------


def _toml() -> Any:
    """``tomllib`` (3.11+) or its backport ``tomli``: imported only when a file is read."""
    return importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")


MAX_CONFIG_BYTES = 1024 * 1024


def _read(path: Path, inside: Optional[Path] = None) -> str:
    """A configuration file's text: a regular file of at most 1 MiB, and, for a discovered file,
    one that does not lead (through a symbolic link) outside the repository it was found in."""
    import stat

    try:
        if inside is not None:
            real, root = os.path.realpath(path), os.path.realpath(inside)
            if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
                raise SettingsError(
                    f"{path}: is a symbolic link leading outside the repository; not read"
                )
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise SettingsError(f"{path}: is not a regular file; not read")
        if info.st_size > MAX_CONFIG_BYTES:
            raise SettingsError(
                f"{path}: is {info.st_size / 1_000_000:.1f} MB; a configuration file may hold "
                "at most 1 MiB"
            )
        with open(path, "rb") as handle:
            return handle.read(MAX_CONFIG_BYTES + 1).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8"
        raise SettingsError(f"{path}: cannot be read: {reason or error}") from None


def _parse(path: Path, inside: Optional[Path] = None) -> dict[str, Any]:
    text = _read(path, inside)
    try:
        data = _toml().loads(text)
    except ValueError as error:  # TOMLDecodeError is a ValueError
        raise SettingsError(f"{path}: not valid TOML: {error}") from None
    except RecursionError:  # tomllib recurses per nesting level: [[[[...]]]] 5,000 deep
        raise SettingsError(f"{path}: not valid TOML: nested too deeply") from None
    return data if isinstance(data, dict) else {}


def _tool_table(data: dict[str, Any]) -> Optional[dict[str, Any]]:
    tool = data.get("tool")
    table = tool.get(TABLE) if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def _stops() -> set[Path]:
    try:
        return {Path.home().resolve()}
    except (RuntimeError, KeyError, OSError):
        return set()


def _repository(folder: Path) -> Path:
    """The work tree holding ``folder`` (a folder with ``.git``), else ``folder`` itself."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def discovery_start(paths: list[str], cwd: Path) -> Path:
    """Where configuration discovery starts: the checked repository, not the working directory.

    The folder the command-line paths have in common (a file's own folder), or the working
    directory when no path is given; ``aiact-lint check ../other-repo`` reads other-repo's
    settings, never those of the folder it was started from. Lexical (symbolic links are not
    resolved), like the walk up from it.
    """
    folders = []
    for given in paths:
        absolute = Path(os.path.abspath(cwd / given))
        folders.append(absolute if absolute.is_dir() else absolute.parent)
    if not folders:
        return cwd
    try:
        return Path(os.path.commonpath([str(f) for f in folders]))
    except ValueError:  # different drives
        return folders[0]


def find_config(start: Path) -> Optional[Path]:
    """The closest configuration file from ``start`` up to the repository root (or home)."""
    stops = _stops()
    # Lexically, never through a symbolic link: a folder of the repository that links to one
    # outside it must not make discovery climb the outside tree.
    current = Path(os.path.abspath(start))
    for folder in (current, *current.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml":
                text = _read(candidate, _repository(folder))
                if not _MENTIONS_TABLE.search(text) or _tool_table(_parse(candidate)) is None:
                    continue
            else:
                _read(candidate, _repository(folder))  # refuse links out, FIFOs, huge files
            return candidate
        if (folder / ".git").exists() or folder in stops:
            break
    return None


def load_table(path: Path) -> tuple[dict[str, Any], str]:
    """The aiact-lint settings table of ``path`` and how to name it in messages."""
    data = _parse(path)
    shown = _display(path)
    table = _tool_table(data)
    if path.name == "pyproject.toml" or table is not None:
        if set(data) - {"tool"} and path.name != "pyproject.toml":
            extra = sorted(set(data) - {"tool"})
            raise SettingsError(
                f"{shown}: put every setting inside [tool.{TABLE}] or none of them "
                f"(found {', '.join(extra)} at the top level)"
            )
        return (table or {}), f"{shown} [tool.{TABLE}]"
    return data, shown


def _display(path: Path) -> str:
    try:
        shown = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if shown.startswith("..") else shown


# --- validation --------------------------------------------------------------------------------


def _did_you_mean(token: str, candidates: Iterable[str]) -> str:
    import difflib  # only on the error path

    close = difflib.get_close_matches(token, list(candidates), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def normalise_selector(token: object, where: str) -> str:
    """A rule code, a code prefix, a rule name or ALL -> the code or prefix (upper case)."""
    from aiact_lint.catalogue import rules

    if not isinstance(token, str) or not token.strip():
        raise SettingsError(f"{where}: {token!r} is not a rule code (e.g. AIA301 or AIA3)")
    text = token.strip()
    upper = text.upper()
    if upper == ALL:
        return ALL
    catalogue = rules()
    if any(code.startswith(upper) for code in catalogue):
        return upper
    for rule in catalogue.values():
        if rule.name == text.lower():
            return rule.code
    names = list(catalogue) + [rule.name for rule in catalogue.values()]
    hint = _did_you_mean(upper, catalogue) or _did_you_mean(text.lower(), names)
    raise SettingsError(
        f"{where}: unknown rule code {text!r}{hint}; `aiact-lint rules` lists the codes"
    )


def protected_rules() -> tuple[str, ...]:
    """Rules no setting can turn off or soften: input errors and prohibited practices (Art. 5)."""
    from aiact_lint.catalogue import rules

    return tuple(
        rule.code
        for rule in rules().values()
        if rule.input_error or rule.name == "prohibited-practice"
    )


def _selectors(value: object, where: str) -> list[str]:
    if not isinstance(value, list):
        raise SettingsError(f'{where}: expected a list of rule codes, e.g. ["AIA3", "AIA701"]')
    return [normalise_selector(item, where) for item in value]


def _refuse_protected(selectors: list[str], where: str, verb: str) -> None:
    protected = protected_rules()
    for selector in selectors:
        if selector in protected:
            from aiact_lint.catalogue import get

            rule = get(selector)
            kind = "an input error" if rule.input_error else "a prohibited practice (Art. 5)"
            raise SettingsError(f"{where}: {selector} ({rule.name}) is {kind} and cannot be {verb}")


def _matches(selector: str, code: str) -> bool:
    return selector == ALL or code.startswith(selector)


def _specificity(selector: str) -> int:
    return 0 if selector == ALL else len(selector)


def select_rules(
    layers: list[tuple[Optional[list[str]], list[str], list[str]]], codes: Iterable[str]
) -> set[str]:
    """Apply (select, extend-select, ignore) layers in order; the most specific selector wins."""
    enabled = set(codes)
    for select, extend, ignore in layers:
        for code in sorted(set(codes)):
            decision: Optional[bool] = False if select is not None else None
            best = -1
            for selector in (select or []) + extend:
                if _matches(selector, code) and _specificity(selector) > best:
                    best, decision = _specificity(selector), True
            for selector in ignore:
                if _matches(selector, code) and _specificity(selector) >= best:
                    best, decision = _specificity(selector), False
            if decision is True:
                enabled.add(code)
            elif decision is False:
                enabled.discard(code)
    return enabled


def severity_overrides(table: dict[str, str], codes: Iterable[str]) -> dict[str, str]:
    """Selector -> severity, resolved per code by the most specific selector."""
    from aiact_lint.catalogue import get

    protected = set(protected_rules())
    result: dict[str, str] = {}
    for code in codes:
        if code in protected:
            continue
        matching = [s for s in table if _matches(s, code)]
        if not matching:
            continue
        severity = table[max(matching, key=_specificity)]
        if severity != get(code).severity:
            result[code] = severity
    return result


def _choice(value: object, choices: tuple[str, ...], where: str) -> str:
    if isinstance(value, str) and value in choices:
        return value
    hint = _did_you_mean(str(value), choices)
    raise SettingsError(f"{where}: {value!r} is not one of {', '.join(choices)}{hint}")


def _string_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise SettingsError(f"{where}: expected a list of strings")
    return list(value)


def _aliases(value: object, where: str) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise SettingsError(f'{where}: expected a table, e.g. {{"gpt-4o" = ["gpt-4o-*"]}}')
    aliases: dict[str, list[str]] = {}
    for model, names in value.items():
        if isinstance(names, str):
            names = [names]
        aliases[str(model)] = _string_list(names, f"{where}.{model}")
    return aliases


def _severity_table(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise SettingsError(f'{where}: expected a table, e.g. {{AIA703 = "error"}}')
    table: dict[str, str] = {}
    for key, severity in value.items():
        selector = normalise_selector(key, where)
        _refuse_protected([selector], where, "given another severity")
        table[selector] = _choice(severity, SEVERITIES, f"{where}.{key}")
    return table


# --- resolution --------------------------------------------------------------------------------


def configure(options: Options, cwd: Optional[Path] = None) -> Settings:
    """Read the configuration, apply it to ``options`` under the flags, and say where from."""
    from aiact_lint.catalogue import rules

    cwd = cwd or Path(os.getcwd())
    start = discovery_start(options.paths, cwd)
    settings = Settings()
    table: dict[str, Any] = {}
    if options.config:
        path = Path(options.config)
        if not path.is_file():
            raise SettingsError(f"--config {options.config}: no such file")
        settings.file = path.resolve()
    else:
        settings.file = find_config(start)
    if settings.file is not None:
        table, settings.label = load_table(settings.file)
    label = settings.label
    for key in table:
        if key not in KEYS:
            hint = _did_you_mean(str(key), KEYS)
            raise SettingsError(
                f"{label}: unknown key {key!r}{hint}; the keys are {', '.join(KEYS)}"
            )

    def origin(key: str, flag: Optional[str] = None) -> str:
        if flag is not None:
            return flag
        return label if key in table else "default"

    def where(key: str) -> str:
        return f"{label}: {key}"

    # Scalars: the flag wins, then the file, then the default.
    for key, attribute, choices, flag in (
        ("fail-on", "fail_on", FAIL_LEVELS, "--fail-on"),
        ("modification-policy", "policy", POLICIES, "--modification-policy"),
    ):
        if attribute in options.cli_set:
            settings.origins[key] = flag
        elif key in table:
            setattr(options, attribute, _choice(table[key], choices, where(key)))
            settings.origins[key] = label
        else:
            settings.origins[key] = "default"
        settings.values[key] = getattr(options, attribute)

    # Rule selection, layered: file, then flags.
    codes = list(rules())
    file_select = _selectors(table["select"], where("select")) if "select" in table else None
    file_extend = _selectors(table.get("extend-select", []), where("extend-select"))
    file_ignore = _selectors(table.get("ignore", []), where("ignore"))
    cli_select = _selectors(options.select, "--select") if options.select is not None else None
    cli_extend = _selectors(options.extend_select, "--extend-select")
    cli_ignore = _selectors(options.ignore, "--ignore")
    _refuse_protected(file_ignore, where("ignore"), "ignored")
    _refuse_protected(cli_ignore, "--ignore", "ignored")
    enabled = select_rules(
        [(file_select, file_extend, file_ignore), (cli_select, cli_extend, cli_ignore)], codes
    )
    settings.always_on = protected_rules()
    enabled |= set(settings.always_on)
    settings.enabled = frozenset(enabled)
    options.enabled_rules = None if enabled >= set(codes) else frozenset(enabled)
    settings.values["select"] = (
        cli_select if cli_select is not None else file_select if file_select is not None else [ALL]
    )
    settings.origins["select"] = origin("select", "--select" if cli_select is not None else None)
    for key, file_value, cli_value, flag in (
        ("extend-select", file_extend, cli_extend, "--extend-select"),
        ("ignore", file_ignore, cli_ignore, "--ignore"),
    ):
        settings.values[key] = file_value + cli_value
        sources = ([label] if file_value else []) + ([flag] if cli_value else [])
        settings.origins[key] = " + ".join(sources) or "default"

    severity = _severity_table(table.get("severity", {}), where("severity"))
    options.severity_overrides = severity_overrides(severity, codes)
    settings.values["severity"] = severity
    settings.origins["severity"] = origin("severity")

    if "exclude" in table:
        options.exclude = _string_list(table["exclude"], where("exclude"))
        assert settings.file is not None
        options.exclude_base = str(settings.file.parent)
    settings.values["exclude"] = options.exclude
    settings.origins["exclude"] = origin("exclude")

    if "model-aliases" in table:
        options.model_aliases = _aliases(table["model-aliases"], where("model-aliases"))
    settings.values["model-aliases"] = options.model_aliases
    settings.origins["model-aliases"] = origin("model-aliases")

    if options.new_only and not options.diff_base:
        flag = "--fail-on-new-only" if options.fail_on_new_only else "--new-only"
        raise SettingsError(f"{flag} needs --diff-base REF (the revision to compare with)")
    return settings


# --- --show-settings ---------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "(none)"
    return json.dumps(str(value), ensure_ascii=False)


def _toml_key(key: str) -> str:
    plain = key.replace("-", "").replace("_", "").isalnum()
    return key if plain else json.dumps(key)


def show_settings(settings: Settings, options: Options) -> str:
    """The effective settings, one per line, each with where it came from."""
    from aiact_lint.catalogue import rules

    source = settings.label or "none found (defaults)"
    lines = [f"Configuration file: {source}", ""]
    rows: list[tuple[str, str, str]] = [
        (key, _toml_value(settings.values[key]), settings.origins[key]) for key in KEYS
    ]
    cli = options.cli_set
    rows += [
        (
            "as-of",
            _toml_value(options.as_of.isoformat()),
            "--as-of" if "as_of" in cli else "default (today in UTC)",
        ),
        ("format", _toml_value(options.output_format), "--format or default"),
        ("baseline", _toml_value(options.baseline), "--baseline" if options.baseline else "-"),
        (
            "write-baseline",
            _toml_value(options.write_baseline),
            "--write-baseline" if options.write_baseline else "-",
        ),
        ("diff-base", _toml_value(options.diff_base), "--diff-base" if options.diff_base else "-"),
        ("new-only", _toml_value(options.new_only), "--new-only" if options.new_only else "-"),
        (
            "fail-on-new-only",
            _toml_value(options.fail_on_new_only),
            "--fail-on-new-only" if options.fail_on_new_only else "-",
        ),
        ("exit-zero", _toml_value(options.exit_zero), "--exit-zero" if options.exit_zero else "-"),
    ]
    width = max(len(row[0]) for row in rows)
    value_width = min(48, max(len(row[1]) for row in rows))
    for key, value, where in rows:
        lines.append(f"{key.ljust(width)} = {value.ljust(value_width)}  # {where}")
    total = len(rules())
    disabled = sorted(set(rules()) - settings.enabled)
    lines += [
        "",
        f"Enabled rules: {len(settings.enabled)} of {total}"
        + (f"; disabled: {', '.join(disabled)}" if disabled else ""),
        f"Always on (input errors, prohibited practices): {', '.join(settings.always_on)}",
    ]
    if options.severity_overrides:
        changed = ", ".join(f"{c} -> {s}" for c, s in sorted(options.severity_overrides.items()))
        lines.append(f"Severity changed: {changed}")
    return "\n".join(lines) + "\n"
