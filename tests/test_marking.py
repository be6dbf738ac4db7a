"""Art. 50(2) marking verified in code: each method found (met, file:line) and not found
(unverified, a warning with the files searched)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_repo, run_cli

AS_OF = "2026-11-25"

MANIFEST = """\
schema_version: 1
system:
  name: Image studio
roles: [provider]
market:
  regions: [EU]
use_case:
  purpose: Generates product images for shops.
  capabilities:
    generates_synthetic_content: [image, text]
risk:
  classification: limited
transparency:
  synthetic_content_marking:
    method: {method}
    evidence: [{evidence}]
"""

FOUND = {
    "c2pa-python": (
        "c2pa",
        "src/gen.py",
        "from c2pa import Builder, Signer\n\nbuilder = Builder(manifest_json)\n"
        'builder.sign(signer, "image/png", source, dest)\n',
        3,
    ),
    "c2pa-node": (
        "c2pa",
        "web/sign.ts",
        "import { createC2pa } from 'c2pa-node';\nconst c2pa = createC2pa();\n"
        "await c2pa.sign({ asset, manifest, signer });\n",
        2,
    ),
    "imwatermark": (
        "watermark",
        "src/gen.py",
        "from imwatermark import WatermarkEncoder\n\nencoder = WatermarkEncoder()\n"
        "encoder.set_watermark('bytes', b'AIGC')\n",
        3,
    ),
    "audioseal": (
        "watermark",
        "src/voice.py",
        "from audioseal import AudioSeal\nmodel = AudioSeal.load_generator('audioseal_wm_16bits')\n"
        "watermark = model.get_watermark(wav, 16000)\n",
        2,
    ),
    "synthid": (
        "watermark",
        "src/text.py",
        "from transformers import SynthIDTextWatermarkingConfig\n"
        "config = SynthIDTextWatermarkingConfig(keys=[654, 400], ngram_len=5)\n"
        "out = model.generate(**inputs, watermarking_config=config)\n",
        2,
    ),
    "iptc": (
        "metadata",
        "src/meta.py",
        "xmp = {}\nxmp['Iptc4xmpExt:DigitalSourceType'] = (\n"
        "    'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia')\n",
        2,
    ),
    "exif": (
        "metadata",
        "src/meta.py",
        "import piexif\n\nexif_bytes = piexif.dump(exif)\npiexif.insert(exif_bytes, path)\n",
        3,
    ),
}

PLAIN = "def generate(prompt):\n    return pipeline(prompt).images[0]\n"


def _check(tmp_path: Path, method: str, files: dict[str, str], evidence: str) -> dict[str, Any]:
    manifest = MANIFEST.format(method=method, evidence=evidence)
    repo = make_repo(tmp_path / "repo", {"aiact.yaml": manifest, **files})
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, cwd=repo)
    assert run.code in (0, 1), run.err
    system: dict[str, Any] = run.json()["systems"][0]
    return system


def _marking(system: dict[str, Any]) -> dict[str, Any]:
    return next(o for o in system["obligations"] if o["id"] == "synthetic_content_marking")


@pytest.mark.parametrize("case", sorted(FOUND))
def test_an_implementation_of_the_declared_method_is_met_at_its_line(
    tmp_path: Path, case: str
) -> None:
    method, path, source, line = FOUND[case]
    system = _check(tmp_path, method, {path: source, "src/app.py": PLAIN}, "src/app.py")
    obligation = _marking(system)
    assert obligation["status"] == "met"
    assert obligation["found_at"] == f"{path}:{line}"
    assert "AIA837" not in [f["rule"] for f in system["findings"]]


@pytest.mark.parametrize("method", ["c2pa", "watermark", "metadata"])
def test_a_declared_method_with_no_implementation_is_unverified(
    tmp_path: Path, method: str
) -> None:
    note = "# Marking\n\nWe sign every image: Builder(manifest).sign(signer, ...) with c2pa.\n"
    files = {"src/app.py": PLAIN, "docs/marking.md": note}
    system = _check(tmp_path, method, files, "docs/marking.md")
    obligation = _marking(system)
    assert obligation["status"] == "unverified"
    assert (
        "2 file(s) searched" in obligation["reason"] or "file(s) searched" in obligation["reason"]
    )
    assert "docs/marking.md" in obligation["reason"]
    [finding] = [f for f in system["findings"] if f["rule"] == "AIA837"]
    assert finding["severity"] == "warning" and finding["line"] == 15
    assert "AIA502" not in [f["rule"] for f in system["findings"]]


def test_another_method_found_is_named(tmp_path: Path) -> None:
    _, path, source, _ = FOUND["imwatermark"]
    system = _check(tmp_path, "c2pa", {path: source}, path)
    obligation = _marking(system)
    assert obligation["status"] == "unverified"
    assert (
        "found watermark (invisible-watermark (imwatermark)) at src/gen.py:3"
        in (obligation["reason"])
    )


def test_code_outside_the_manifests_folder_does_not_count(tmp_path: Path) -> None:
    method, path, source, _ = FOUND["c2pa-python"]
    manifest = MANIFEST.format(method=method, evidence="app.py")
    files = {"studio/aiact.yaml": manifest, "studio/app.py": PLAIN, "other/" + path: source}
    repo = make_repo(tmp_path / "repo", files)
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, cwd=repo)
    assert _marking(run.json()["systems"][0])["status"] == "unverified"


def test_the_walk_finds_it_outside_git(tmp_path: Path) -> None:
    method, path, source, line = FOUND["c2pa-python"]
    root = tmp_path / "plain"
    for name, text in {"aiact.yaml": MANIFEST.format(method=method, evidence=path)}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "src").mkdir()
    (root / path).write_text(source, encoding="utf-8")
    (root / "node_modules" / "x").mkdir(parents=True)
    run = run_cli("check", "--format", "json", "--as-of", AS_OF, cwd=root)
    assert _marking(run.json()["systems"][0])["found_at"] == f"{path}:{line}"
