"""The repository holds itself to what it asks of others: lint, format, types, generated files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_lint() -> None:
    result = run(
        sys.executable, "-m", "ruff", "check", "aiact_lint", "tests", "scripts", "benchmarks"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = run(
        sys.executable,
        "-m",
        "ruff",
        "format",
        "--check",
        "aiact_lint",
        "tests",
        "scripts",
        "benchmarks",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_the_package() -> None:
    result = run(sys.executable, "-m", "mypy", "--strict", "aiact_lint")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_files_are_up_to_date() -> None:
    """compiled.json and the fast validator are regenerated from their sources, byte for byte."""
    result = run(sys.executable, "scripts/build_generated.py", "--check")
    assert result.returncode == 0, result.stderr


def test_the_hook_path_imports_nothing_heavy() -> None:
    """A manifest-only check must start fast: no jsonschema, GitPython, TOML, dataclasses..."""
    probe = (
        "import io, sys, contextlib\n"
        "from aiact_lint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', '--manifest-only', '--as-of', '2026-11-25', sys.argv[1]])\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    manifest = ROOT / "examples" / "customer-chatbot" / "aiact.yaml"
    result = run(sys.executable, "-c", probe, str(manifest))
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    heavy = {"jsonschema", "git", "tomllib", "tomli", "dataclasses", "decimal", "fractions"}
    # The dependencies of the ML-BOM export (issue 16) serve other commands only.
    heavy |= {"cyclonedx", "serializable", "license_expression", "packageurl", "boolean"}
    heavy |= {"sortedcontainers", "spdx_python_model", "huggingface_hub", "polib", "babel"}
    assert not heavy & loaded, sorted(heavy & loaded)
    assert "aiact_lint.repo.code_scan" not in loaded and "aiact_lint.report.sarif" not in loaded
    ours = {"aiact_lint.report.cyclonedx", "aiact_lint.report.spdx3", "aiact_lint.register"}
    ours |= {"aiact_lint.repo.scan.model_cards", "aiact_lint.report.bom_properties"}
    ours |= {"aiact_lint.repo.catalogues", "aiact_lint.repo.scan.marking"}
    assert not ours & loaded, sorted(ours & loaded)


def _hook_modules(manifest_text: str, tmp: Path) -> tuple[set[str], list[str]]:
    probe = (
        "import io, sys, contextlib\n"
        "from aiact_lint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', '--manifest-only', '--as-of', '2026-11-25', sys.argv[1]])\n"
        "from aiact_lint.detect import lexicon\n"
        "print(','.join(sorted(lexicon.LOADED)))\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    manifest = tmp / "aiact.yaml"
    manifest.write_text(manifest_text, encoding="utf-8")
    result = run(sys.executable, "-c", probe, str(manifest))
    assert result.returncode == 0, result.stderr
    first, _, rest = result.stdout.partition("\n")
    return set(rest.split()), [x for x in first.split(",") if x]


def test_the_hook_path_loads_no_stemmer_when_every_purpose_is_empty(tmp_path: Path) -> None:
    manifest = "schema_version: 1\nsystem: {name: x}\nroles: [provider]\nuse_case: {purpose: ''}\n"
    loaded, languages = _hook_modules(manifest, tmp_path)
    assert "Stemmer" not in loaded and "aiact_lint.detect.engine" not in loaded
    assert languages == []


def test_the_hook_path_loads_only_the_language_the_manifest_uses(tmp_path: Path) -> None:
    manifest = (
        "schema_version: 1\nsystem: {name: x}\nroles: [provider]\n"
        "use_case: {purpose: 'Sortiert Bewerbungen und erstellt eine Rangliste der Kandidaten.'}\n"
    )
    loaded, languages = _hook_modules(manifest, tmp_path)
    assert languages == ["de"]
    assert "snowballstemmer" not in loaded  # the C extension, not the pure-Python fallback
