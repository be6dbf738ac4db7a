"""Hypothesis strategies: manifests generated from the JSON Schema, then mutated, as YAML text.

The generator reads ``aiact_lint/schema/aiact.schema.json`` itself (types, enums, patterns,
required keys, ``minimum``), so a new schema field is fuzzed without touching this file.
Mutations then break what the schema promises: wrong types, missing and unknown keys, huge and
tiny numbers, ``1e999``, NaN, impossible dates, unicode and control characters, very long
strings, deep nesting, hostile YAML (tags, aliases, several documents) and damaged text.

Classes added by the second hardening round (issue 13), each its own strategy:
- :data:`directives`: ``%YAML 1.1/1.2/1.0/1.3``, ``%TAG`` handles, reserved directives, in front
  of a document (under 1.1, ``yes``/``on``/``y`` are booleans);
- :data:`huge_numbers` and the ``overflow`` mutation: integers of hundreds of digits, floats at
  the 1e308 scale, and pairs (parameters x training_tokens) whose product overflows;
- :data:`config_texts`: ``.aiact-lint.toml`` / ``[tool.aiact-lint]`` with hostile keys (workflow
  commands, line breaks, C1 controls, bidi overrides) and values, and deep nesting;
- :data:`file_names`: names starting with ``-``, pathspec magic ``:(``, quotes, backslashes,
  non-ASCII, line breaks, ``::`` workflow commands;
- :data:`line_separators`: NEL, LS and PS (U+0085, U+2028, U+2029) inside comments and scalars.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Callable

from hypothesis import strategies as st

from ._support import MINIMAL, RICH, ROOT

SCHEMA: dict[str, Any] = json.loads(
    (ROOT / "aiact_lint" / "schema" / "aiact.schema.json").read_text(encoding="utf-8")
)


class Raw(str):
    """A YAML token written verbatim, unquoted: ``1e999``, ``.nan``, ``2026-02-30``, ``!!tag``."""


# Paths the fuzz repository holds (tests/adversarial/test_fuzz_manifest.py) or that try to leave.
PATHS = [
    "docs/technical.md",
    "docs/empty.md",
    "docs/placeholder.md",
    "docs/outside.md",
    "docs/loop.md",
    "docs/dir.md",
    "docs",
    ".",
    "",
    "web/notice.html",
    "missing.md",
    "../outside/canary.md",
    "../../../../../../etc/passwd",
    "/etc/passwd",
    "~/.ssh/id_rsa",
    "~root",
    "C:\\Windows\\win.ini",
    "C:/Windows/win.ini",
    "\\\\server\\share\\x.md",
    "docs/../../outside/canary.md",
    "docs/./technical.md",
    "docs//technical.md",
    "docs\\technical.md",
    "file:///etc/passwd",
    "https://example.com/doc.md",
    "docs/\n::error::forged.md",
    "docs/\x1b[31mred.md",
    "docs/%0A::error::x.md",
    "/proc/self/environ",
    "/dev/zero",
]

HOSTILE_STRINGS = [
    "::error::forged",
    "::error file=aiact.yaml,line=1,title=forged::forged",
    "x\n::error::forged on a new line",
    "x\r::warning::carriage return",
    "x%0A::error::encoded newline",
    "%25%0A%0D%3A%2C",
    "##[error]legacy command",
    "::stop-commands::token",
    "::add-mask::secret",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;window title\x07",
    "\x1b[2J\x1b[H cleared",
    "\x1b[8mconcealed\x1b[0m",
    "\x9b31mC1 CSI",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</td></tr></table><h1>x</h1>",
    "a | b | c",
    "| --- | --- |",
    "`code` ``` fence",
    "**bold** _it_ ~~s~~",
    "[click](javascript:alert(1))",
    "![img](https://example.com/x.png)",
    "@everyone @octocat",
    "# heading",
    "> quote",
    "&amp; &lt; &#60;",
    "\\|\\\\|",
    '"}]}',
    "'",
    "\u202etxt.exe",
    "\u2028line\u2029para",
    "\ufeffbom",
    "\x00nul",
    "\x85next line",
    "\u0085\u000b\u000c",
    "\ud800",
    "\udcff",
    "\U0001f600 emoji",
    "\U0010ffff",
    "${{ github.token }}",
    "$(touch pwned)",
    "`touch pwned`",
    "]]>",
    "<![CDATA[x]]>",
    "\t tab",
    "*a" * 40 + "*b",
    "[!",
    "**/**/**",
    "(a+)+$",
    ".*" * 30,
    "*" * 500 + "c",
    "[" * 100,
    " ",
    "",
]

RAW_TOKENS = [
    "1e999",
    "-1e999",
    "1e-999",
    ".nan",
    ".NaN",
    ".inf",
    "-.inf",
    ".Inf",
    "4.9e-324",
    "1.7976931348623157e308",
    "123456789012345678901234567890123456789012345678901234567890",
    "-0",
    "-0.0",
    "0x1F",
    "0o777",
    "0b101",
    "1_000",
    "+.5",
    "~",
    "null",
    "yes",
    "NO",
    "on",
    "True",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "0000-00-00",
    "2026-02-29",
    "2024-02-29",
    "99999-01-01",
    "2026-2-3",
    "2026-02-28T25:61:00Z",
    "2026-02-28 12:00:00 +01:00",
    "!!binary aGVsbG8=",
    "!!python/object/apply:os.system ['touch pwned']",
    "!!python/name:os.system",
    "!!float 'nan'",
    "!!int '1e9'",
    "!!str 12",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!<tag:yaml.org,2002:int> '12'",
    "!custom {a: 1}",
    "&anchor value",
    "*undefined_alias",
    "{a: 1, a: 2}",
    "[1, [2, [3]]]",
    "{}",
    "[]",
    "'unterminated",
    '"unterminated',
    "[unclosed",
    "? complex key",
    "|\n  literal block",
    ">-\n  folded",
    "@reserved",
    "`reserved",
    "%TAG ! tag:x,2000:",
    "<<: *merge",
]


def _deep(depth: int, kind: str) -> Raw:
    if kind == "list":
        return Raw("[" * depth + "]" * depth)
    return Raw("{a: " * depth + "1" + "}" * depth)


surrogates = st.integers(0xD800, 0xDFFF).map(chr)
texts = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(max_codepoint=0x9F), max_size=30),  # ASCII, C0 and C1 controls
    st.text(st.one_of(st.characters(), surrogates), max_size=12),
)
long_strings = st.builds(
    lambda unit, count: unit * count,
    st.text(min_size=1, max_size=4).filter(lambda s: s.strip() != ""),
    st.sampled_from([300, 1025, 4097, 20_000, 70_000]),
)
strings = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    texts,
    long_strings,
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE_STRINGS), texts),
)
huge_numbers = st.one_of(
    st.integers(min_value=10**99, max_value=10**400),
    st.integers(min_value=-(10**400), max_value=-(10**99)),
    st.floats(min_value=1e99, max_value=1.7976931348623157e308),
    st.sampled_from([1e100, 1.0000001e100, 1e154, 1e155, 1e200, 1e300, 1.7976931348623157e308]),
    st.sampled_from(["9" * 400, "-" + "9" * 400, "0x" + "f" * 300, "1" + "_0" * 300]).map(Raw),
)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**300), max_value=2**300),
    st.floats(),
    st.sampled_from(
        [0, -0.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 2**63, 2**64]
    ),
    huge_numbers,
)
line_separators = st.sampled_from(["\x85", "\u2028", "\u2029"])
directives = st.sampled_from(
    [
        "%YAML 1.1\n---\n",
        "%YAML 1.2\n---\n",
        "%YAML 1.0\n---\n",
        "%YAML 1.3\n---\n",
        "%YAML 2.0\n---\n",
        "%YAML 1.1 # comment\n---\n",
        "%TAG ! tag:yaml.org,2002:\n---\n",
        "%TAG !x! tag:yaml.org,2002:\n---\n",
        "%TAG !e! tag:example.com,2000:app/\n---\n",
        "%YAML 1.1\n%TAG ! tag:yaml.org,2002:\n---\n",
        "%YAML 1.2\n%YAML 1.2\n---\n",
        "%FOO reserved directive\n---\n",
        "%YAML\n---\n",
    ]
)
# The YAML 1.1 booleans and their neighbours, for the facts the law turns on.
yaml11_words = st.sampled_from(
    ["Yes", "yes", "YES", "No", "no", "on", "On", "off", "OFF", "y", "Y", "n", "N", "~"]
).map(Raw)

hostile_scalars = st.one_of(
    strings,
    numbers,
    yaml11_words,
    st.sampled_from(RAW_TOKENS).map(Raw),
    st.none(),
    st.booleans(),
    st.dates().map(lambda d: d.isoformat()),
)
deep = st.builds(
    _deep, st.sampled_from([10, 63, 64, 65, 100, 2000]), st.sampled_from(["list", "map"])
)
hostile_values = st.one_of(
    hostile_scalars,
    deep,
    st.lists(hostile_scalars, max_size=4),
    st.dictionaries(strings, hostile_scalars, max_size=3),
)
unknown_keys = st.one_of(
    st.sampled_from(
        [
            "x-extension",
            "unknown_key",
            "schema_versoin",
            "Roles",
            "__proto__",
            "<script>",
            "::error::key",
            "a|b",
            "",
            " ",
        ]
    ),
    strings,
    st.sampled_from(["1", "true", "null", "~", "? x", "[a]", "{a: 1}"]).map(Raw),
)


# --- from the schema ------------------------------------------------------------------------------

_PATH_KEYS = ("assessment", "rbi_authorisation")


def _is_path(where: tuple[str, ...]) -> bool:
    return "evidence" in where or (bool(where) and where[-1] in _PATH_KEYS)


def _string(node: dict[str, Any], where: tuple[str, ...]) -> st.SearchStrategy[Any]:
    if "pattern" in node:
        return st.from_regex(node["pattern"], fullmatch=True)
    if node.get("format") == "date":
        return st.dates().map(lambda d: d.isoformat())
    if _is_path(where):
        return st.one_of(st.sampled_from(PATHS[:10]), st.sampled_from(PATHS))
    low = int(node.get("minLength", 0))
    high = min(int(node.get("maxLength", 40)), 40)
    plain = st.text(min_size=low, max_size=max(low, high))
    return st.one_of(plain, st.sampled_from(["customer support", "Ranks CVs", "x"]))


def from_schema(node: dict[str, Any], where: tuple[str, ...] = ()) -> st.SearchStrategy[Any]:
    """Instances of ``node`` (mostly valid; the mutations do the breaking)."""
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kinds = node.get("type")
    if isinstance(kinds, list):
        return st.one_of([from_schema({**node, "type": kind}, where) for kind in kinds])
    if kinds == "object" or "properties" in node:
        properties = node.get("properties", {})
        required = set(node.get("required", []))
        return st.fixed_dictionaries(
            {k: from_schema(v, (*where, k)) for k, v in properties.items() if k in required},
            optional={
                k: from_schema(v, (*where, k)) for k, v in properties.items() if k not in required
            },
        )
    if kinds == "array":
        items = from_schema(node.get("items", {}), (*where, "[]"))
        unique: Callable[[Any], str] | None = None
        if node.get("uniqueItems"):

            def unique(value: Any) -> str:
                return json.dumps(value, sort_keys=True)

        return st.lists(items, min_size=int(node.get("minItems", 0)), max_size=3, unique_by=unique)
    if kinds == "string":
        return _string(node, where)
    if kinds in ("number", "integer"):
        low = node.get("minimum")
        ints = st.integers(min_value=low, max_value=10**30)
        if kinds == "integer":
            return ints
        floats = st.floats(min_value=low, max_value=1e30, allow_nan=False, allow_infinity=False)
        return st.one_of(ints, floats)
    if kinds == "boolean":
        return st.booleans()
    if kinds == "null":
        return st.none()
    return hostile_scalars


# --- mutations ------------------------------------------------------------------------------------

NodePath = tuple[Any, ...]


def _paths(value: Any, prefix: NodePath = ()) -> list[NodePath]:
    found = [prefix]
    if isinstance(value, dict) and not isinstance(value, Raw):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _get(value: Any, path: NodePath) -> Any:
    for part in path:
        value = value[part]
    return value


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    document = draw(from_schema(SCHEMA))
    for _ in range(draw(st.integers(0, 6))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        operation = draw(
            st.sampled_from(
                ["replace", "replace", "delete", "unknown", "wrap", "deep", "empty", "overflow"]
            )
        )
        if operation == "overflow":
            # Two facts that the engine multiplies (6 * N * D), each at the edge or past it.
            models = document.get("models") if isinstance(document, dict) else None
            if isinstance(models, list) and models and isinstance(models[0], dict):
                models[0]["parameters"] = draw(huge_numbers)
                models[0]["training_tokens"] = draw(huge_numbers)
            elif isinstance(document, dict):
                document["models"] = [
                    {"id": "a/b", "parameters": draw(huge_numbers), "training_tokens": 1e300}
                ]
            continue
        if not path:
            if operation in ("replace", "wrap"):
                document = draw(hostile_values) if operation == "replace" else [document]
            elif isinstance(document, dict) and operation == "unknown":
                document[draw(unknown_keys)] = draw(hostile_values)
            continue
        parent = _get(document, path[:-1])
        key = path[-1]
        if operation == "replace":
            parent[key] = draw(hostile_values)
        elif operation == "delete":
            del parent[key]
        elif operation == "unknown":
            target = parent[key]
            if isinstance(target, dict):
                target[draw(unknown_keys)] = draw(hostile_values)
            else:
                parent[key] = {draw(unknown_keys): target}
        elif operation == "wrap":
            parent[key] = draw(st.sampled_from([[parent[key]], {"value": parent[key]}]))
        elif operation == "deep":
            parent[key] = draw(deep)
        else:
            parent[key] = draw(st.sampled_from([{}, [], "", None, Raw("~"), Raw("''")]))
    return document


# --- YAML text ------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _./()-]*")
_RESERVED = re.compile(
    r"(?i)(null|true|false|yes|no|on|off|y|n|~|[-+]?(\.inf|\.nan|[0-9][0-9_.eE+-]*))"
)


_SEPARATORS = (0x2028, 0x2029, 0xFEFF)


def quoted(text: str) -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in _SEPARATORS:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def scalar(value: Any, plain_ok: bool) -> str:
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    text = str(value)
    if (
        plain_ok
        and _PLAIN.fullmatch(text)
        and not _RESERVED.fullmatch(text)
        and text == text.strip()
    ):
        return text
    return quoted(text)


def flow(value: Any, plain_ok: bool) -> str:
    if isinstance(value, dict) and not isinstance(value, Raw):
        items = (f"{flow_key(k, plain_ok)}: {flow(v, plain_ok)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(item, plain_ok) for item in value) + "]"
    return scalar(value, plain_ok)


def flow_key(key: Any, plain_ok: bool) -> str:
    return scalar(key, plain_ok) if isinstance(key, (str, int)) else quoted(str(key))


def block(value: Any, indent: int, plain_ok: bool) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict) and value and not isinstance(value, Raw):
        lines = []
        for key, child in value.items():
            name = flow_key(key, plain_ok)
            if isinstance(child, (dict, list)) and child and not isinstance(child, Raw):
                lines.append(f"{pad}{name}:")
                lines += block(child, indent + 2, plain_ok)
            else:
                lines.append(f"{pad}{name}: {flow(child, plain_ok)}")
        return lines
    if isinstance(value, list) and value:
        lines = []
        for child in value:
            if isinstance(child, (dict, list)) and child and not isinstance(child, Raw):
                lines.append(f"{pad}-")
                lines += block(child, indent + 2, plain_ok)
            else:
                lines.append(f"{pad}- {flow(child, plain_ok)}")
        return lines
    return [pad + flow(value, plain_ok)]


def to_yaml(document: Any, style: str) -> str:
    plain_ok = style != "quoted"
    if style == "flow":
        return flow(document, plain_ok) + "\n"
    return "\n".join(block(document, 0, plain_ok)) + "\n"


def _alias_bomb() -> str:
    lines = ['x-bomb-a: &a ["x","x","x","x","x","x","x","x","x"]']
    previous = "a"
    for name in "bcdefghij":
        lines.append(f"x-bomb-{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


@st.composite
def manifest_texts(draw: st.DrawFn) -> bytes:
    """A manifest as the bytes of a file: schema-generated, mutated, emitted, then damaged."""
    document = draw(mutated_documents())
    text = to_yaml(document, draw(st.sampled_from(["block", "block", "flow", "quoted"])))
    for _ in range(draw(st.integers(0, 2))):
        damage = draw(
            st.sampled_from(
                [
                    "bom",
                    "crlf",
                    "cr",
                    "tab",
                    "truncate",
                    "insert",
                    "duplicate_line",
                    "comment",
                    "documents",
                    "alias_bomb",
                    "separator",
                    "directive",
                    "directive",
                ]
            )
        )
        lines = text.split("\n")
        if damage == "bom":
            text = "\ufeff" + text
        elif damage == "crlf":
            text = text.replace("\n", "\r\n")
        elif damage == "cr":
            text = text.replace("\n", "\r")
        elif damage == "tab":
            index = draw(st.integers(0, len(lines) - 1))
            lines[index] = "\t" + lines[index].lstrip(" ")
            text = "\n".join(lines)
        elif damage == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif damage == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.one_of(texts, st.sampled_from(HOSTILE_STRINGS))) + text[at:]
        elif damage == "duplicate_line":
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            text = "\n".join(lines)
        elif damage == "comment":
            text = "# ::error::comment \x1b[31m <script>\n" + text
        elif damage == "documents":
            text = text + "---\n" + text
        elif damage == "alias_bomb":
            text = _alias_bomb() + text
        elif damage == "separator":
            at = draw(st.integers(0, len(text)))
            piece = draw(st.sampled_from(["# c{}d\n", "{}", "x{}y"])).format(draw(line_separators))
            text = text[:at] + piece + text[at:]
        else:
            text = draw(directives) + text
    return text.encode("utf-8", "surrogatepass")


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    """Raw bytes: random, or a real manifest with bytes flipped, cut or inserted."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=2048))
    data = bytearray(draw(st.sampled_from([MINIMAL, RICH])).encode("utf-8"))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "cut"]))
        piece = draw(st.binary(min_size=1, max_size=8))
        if kind == "flip" and at < len(data):
            data[at] = piece[0]
        elif kind == "insert":
            data[at:at] = piece
        else:
            del data[at : at + len(piece)]
    return bytes(data)


# --- configuration files and file names (issue 13) ---------------------------------------------

CONFIG_KEYS = [
    "select",
    "extend-select",
    "ignore",
    "severity",
    "fail-on",
    "modification-policy",
    "exclude",
    "model-aliases",
]
HOSTILE_KEYS = [
    "x\n::error file=aiact.yaml,line=1::forged",
    "::add-mask::secret",
    "::stop-commands::token",
    "x\r\n##[error]legacy",
    "\x1b]0;title\x07\x1b[2J",
    "\x9b31m",
    "\u202etxt.exe\u2066",
    "%0A::error::encoded",
    "\x85next\u2028line",
    "AIA3\n::warning::x",
]
config_keys = st.one_of(
    st.sampled_from(CONFIG_KEYS),
    st.sampled_from(HOSTILE_KEYS),
    st.builds(lambda a, b: a + b, st.sampled_from(CONFIG_KEYS), st.sampled_from(HOSTILE_KEYS)),
    st.text(max_size=20),
)
config_values = st.one_of(
    st.lists(
        st.one_of(st.sampled_from(["AIA3", "AIA703", "ALL", "E501"]), config_keys), max_size=3
    ),
    config_keys,
    st.integers(),
    st.booleans(),
    st.dictionaries(
        config_keys, st.one_of(config_keys, st.sampled_from(["error", "info"])), max_size=3
    ),
)


def _toml_string(text: str) -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}" if code < 0xD800 else "?")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return (
        "{"
        + ", ".join(f"{_toml_string(str(k))} = {_toml_value(v)}" for k, v in value.items())
        + "}"
    )


@st.composite
def config_texts(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, text): an .aiact-lint.toml or a pyproject.toml with hostile keys/values."""
    pairs = draw(st.dictionaries(config_keys, config_values, min_size=1, max_size=4))
    body = "".join(f"{_toml_string(k)} = {_toml_value(v)}\n" for k, v in pairs.items())
    if draw(st.booleans()):
        depth = draw(st.sampled_from([10, 500, 3000]))
        body += "nested = " + "[" * depth + "]" * depth + "\n"
    if draw(st.booleans()):
        return "pyproject.toml", "[tool.aiact-lint]\n" + body
    return ".aiact-lint.toml", body


FILE_NAME_PARTS = [
    "-rf",
    "--output=x",
    "-",
    ":(",
    ":(glob)*",
    ":(exclude)docs",
    ":!x",
    '"',
    "'",
    "\\",
    "\\\\host\\share",
    "é",
    "ü\\",
    "日本",
    "\n::error file=x::forged",
    "::add-mask::s",
    "\t",
    " ",
    "*",
    "[a]",
    "%0A",
    "\x1b[31m",
]
file_names = st.builds(
    lambda parts, tail: "".join(parts).replace("/", "_") + tail,
    st.lists(st.sampled_from(FILE_NAME_PARTS), min_size=1, max_size=3),
    st.sampled_from(["", ".py", ".md", "x"]),
).filter(lambda name: name not in ("", ".", "..") and "\x00" not in name)
