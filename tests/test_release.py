"""What a release ships: an sdist and a wheel that install and run in a clean environment.

Builds both from this checkout with `python -m build` (as .github/workflows/release.yml does),
installs the wheel in a fresh virtual environment and runs the installed command on an example;
also holds the release workflow to what it promises (v* tags, trusted publishing).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import AS_OF, ROOT

PACKAGED = (
    "aiact_lint/law/compiled.json",
    "aiact_lint/law/known_models.yaml",
    "aiact_lint/law/annex_i.yaml",
    "aiact_lint/schema/aiact.schema.json",
    "aiact_lint/schema/_validator.py",
    "aiact_lint/py.typed",
    "aiact_lint/fix/command.py",
    "aiact_lint/init/command.py",
)


def run(*args: str, cwd: Path = ROOT, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing of this checkout on the path (PYTHONPATH) but what is built.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.mark.slow
def test_sdist_and_wheel_build_and_the_wheel_runs_in_a_clean_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(dist), ".")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    [wheel] = dist.glob("aiact_lint-*.whl")
    [sdist] = dist.glob("aiact_lint-*.tar.gz")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(PACKAGED) <= names, set(PACKAGED) - names
    assert not any(name.startswith(("tests/", "examples/")) for name in names)
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "LICENSE", *PACKAGED} <= members
    env_dir = tmp_path / "clean"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    installed = run(str(python), "-m", "pip", "install", "--no-cache-dir", str(wheel))
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    command = env_dir / "bin" / "aiact-lint"
    version = run(str(command), "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("aiact-lint ")
    example = ROOT / "examples" / "customer-chatbot"
    checked = run(str(command), "check", str(example), "--as-of", AS_OF, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The installed package is the one built, not this checkout.
    where = run(str(python), "-c", "import aiact_lint; print(aiact_lint.__file__)", cwd=tmp_path)
    assert str(env_dir) in where.stdout, where.stdout


def test_release_workflow_builds_both_and_publishes_with_trusted_publishing() -> None:
    from ruamel.yaml import YAML

    workflow = YAML(typ="safe").load((ROOT / ".github/workflows/release.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on`
    assert triggers == {"push": {"tags": ["v*"]}}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    steps = " ".join(str(step.get("run", "")) for step in build["steps"])
    assert "python -m build --sdist --wheel" in steps and "pip install dist/*.whl" in steps
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert "pypa/gh-action-pypi-publish@release/v1" in uses
    assert not any("password" in str(step.get("with", {})) for step in publish["steps"])
