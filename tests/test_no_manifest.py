"""`check` before there is any manifest: say what the code shows, and where to run `init`.

With AI use in the code: exit 1 and one AIA808 finding per use (file:line, the model or the SDK),
naming the folder to run `aiact-lint init` in; a source line, not a weights file at 1:1, when a
source line loads the weights. With neither a manifest nor AI use: exit 0, "nothing to check".
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import AS_OF, MINIMAL, make_repo, run_process

CHAT = """\
from openai import OpenAI

client = OpenAI()


def chat(q):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[q])
"""

IMAGES = """\
from diffusers import StableDiffusionPipeline

pipe = StableDiffusionPipeline.from_single_file("models/sd-v1-5.safetensors")
"""


def check(*args: str, cwd: Path) -> tuple[int, str]:
    run = run_process("check", "--as-of", AS_OF, *args, cwd=cwd)
    return run.code, run.out


def test_ai_use_without_a_manifest_is_listed_with_where_to_run_init(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "mono",
        {
            "services/chat/pyproject.toml": "[project]\nname = 'chat'\n",
            "services/chat/app/main.py": CHAT,
            "web/src/App.tsx": "export const App = () => null;\n",
        },
    )
    code, out = check(cwd=repo)
    assert code == 1, out
    line = next(x for x in out.splitlines() if " AIA808 " in x)
    assert line.startswith("services/chat/app/main.py:7:")
    assert 'model "gpt-4o-mini" (openai) is used here' in line
    assert "run `aiact-lint init services/chat`" in line
    # Standing in the service folder, the same finding says "here".
    code, out = check(cwd=repo / "services" / "chat")
    assert code == 1 and "run `aiact-lint init` here" in out
    assert "app/main.py:7:" in out


def test_no_manifest_and_no_ai_use_is_nothing_to_check(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"web/src/App.tsx": "export const App = () => null;\n"})
    code, out = check(cwd=repo)
    assert code == 0, out
    assert out.strip().startswith("Nothing to check: no aiact.yaml here and no AI use in the code")
    code, out = check("--manifest-only", cwd=repo)
    assert code == 0 and "the code was not scanned" in out
    code, out = check("--format", "json", cwd=repo)
    assert code == 0 and '"systems": []' in out


def test_weights_are_named_by_the_source_line_that_loads_them(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {"gen/images.py": IMAGES, "gen/models/sd-v1-5.safetensors": "binary", "x.gguf": "b"},
    )
    _code, out = check(cwd=repo)
    lines = [line for line in out.splitlines() if " AIA808 " in line]
    assert any(line.startswith("gen/images.py:3:") for line in lines), lines
    assert not any(line.startswith("gen/models/sd-v1-5.safetensors") for line in lines), lines
    # Weights no source line names are still listed, at the file itself.
    assert any(line.startswith("x.gguf:1:1:") for line in lines), lines


def test_a_folder_under_a_manifest_checks_that_manifest(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"svc/aiact.yaml": MINIMAL, "svc/src/app.py": CHAT})
    _code, out = check("--format", "json", "svc/src", cwd=repo)
    assert '"manifest": "svc/aiact.yaml"' in out
    assert "AIA808" not in out and '"AIA850"' in out  # its model is not declared there


def test_a_suppressed_line_is_not_listed(tmp_path: Path) -> None:
    code_ = CHAT.replace(
        "messages=[q])", "messages=[q])  # aiact-lint: ignore[AIA808] a demo, not a system"
    )
    repo = make_repo(tmp_path / "r", {"demo.py": code_})
    code, out = check(cwd=repo)
    assert code == 0 and "AIA808" not in out


def test_ai_use_outside_manifests_points_at_a_source_line_not_at_weights(tmp_path: Path) -> None:
    images = (
        "from diffusers import StableDiffusionPipeline\n\n"
        'pipe = StableDiffusionPipeline.from_single_file("b/weights/sd.safetensors")\n'
    )
    repo = make_repo(
        tmp_path / "r",
        {"a/aiact.yaml": MINIMAL, "b/weights/sd.safetensors": "w", "b/zz/gen.py": images},
    )
    run = run_process("check", "--format", "json", "--as-of", AS_OF, cwd=repo)
    [unowned] = [f for f in run.json()["findings"] if f["rule"] == "AIA855"]
    assert (unowned["path"], unowned["line"]) == ("b/zz/gen.py", 3)
