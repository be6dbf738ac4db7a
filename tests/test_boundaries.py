"""Boundaries of the law: thresholds exactly at and just above, dates the day before and the day of.

"Greater than" thresholds (Art. 51(2): "greater than 10^25"; the guidelines' "> 10^23" and
"more than one third") put a value exactly AT the threshold in the lower category. Application
dates (Art. 113 as amended by Regulation (EU) 2026/1744, Art. 111) apply FROM the day named:
the day before, a duty is ``upcoming``; on the day, it is ``missing`` or ``met``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pytest

from tests.conftest import run_cli
from tests.legal_harness import Outcome, check

JUST_ABOVE = 1.000001  # a relative step far above rounding, far below any real difference


def run(text: str, where: Path, as_of: str = "2026-11-25", policy: Optional[str] = None) -> Outcome:
    return check(text, where, as_of=as_of, policy=policy, process=False)


def model_manifest(**fields: Any) -> str:
    lines = [f"    {key}: {value}" for key, value in fields.items()]
    return (
        "schema_version: 1\n"
        "system: {name: Model release, developer: us}\n"
        "roles: [provider]\n"
        "market: {regions: [EU]}\n"
        "models:\n"
        "  - id: m\n" + "\n".join(lines) + "\n"
        "risk: {classification: minimal}\n"
        "evidence: {ai_literacy: docs/ai-literacy.md}\n"
    )


# --- compute thresholds -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flop", "status"),
    [
        (1.0e23, "not_gpai"),  # exactly the indicative criterion: not above it
        (1.0e23 * JUST_ABOVE, "gpai"),
        (1.0e25, "gpai"),  # exactly 10^25: not "greater than", so no systemic-risk presumption
        (1.0e25 * JUST_ABOVE, "gpai_systemic_risk"),
    ],
)
def test_compute_thresholds_are_strict(tmp_path: Path, flop: float, status: str) -> None:
    text = model_manifest(generates="[text]", training_compute_flop=repr(flop))
    assert run(text, tmp_path / "r").model("m")["gpai_status"] == status


def test_indicative_criterion_needs_a_generative_modality(tmp_path: Path) -> None:
    """Above 1e23 but generating no text, audio, image or video: presumed not GPAI (guidelines)."""
    text = model_manifest(generates="[]", training_compute_flop="5.0e23")
    assert run(text, tmp_path / "r").model("m")["gpai_status"] == "not_gpai"


def test_cumulative_compute_crosses_the_systemic_threshold(tmp_path: Path) -> None:
    """Art. 51(2) counts cumulative compute: 1e25 exactly stays GPAI, a little more crosses."""
    at = model_manifest(
        generates="[text]",
        training_compute_flop="8.0e24",
        modifications="[{kind: continued_pretraining, compute_flop: 2.0e24}]",
    )
    above = at.replace("compute_flop: 2.0e24", "compute_flop: 2.1e24")
    assert run(at, tmp_path / "at").model("m")["gpai_status"] == "gpai"
    outcome = run(above, tmp_path / "above")
    assert outcome.model("m")["gpai_status"] == "gpai_systemic_risk"
    assert "AIA604" in outcome.codes


# --- the one-third criterion ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "modification", "provider"),
    [
        (3.0e24, 1.0e24, False),  # exactly one third of the known original compute
        (3.0e24, 1.0e24 * JUST_ABOVE, True),
        (6.0e23, 2.0e23, False),
        (6.0e23, 2.0e23 * JUST_ABOVE, True),
    ],
)
def test_one_third_of_known_original_compute(
    tmp_path: Path, base: float, modification: float, provider: bool
) -> None:
    text = model_manifest(
        generates="[text]",
        training_compute_flop=repr(base),
        modifications=f"[{{kind: fine_tune, compute_flop: {modification!r}}}]",
        placed_on_market_by_us="true",
    )
    outcome = run(text, tmp_path / "r", policy="commission_one_third")
    assert outcome.model("m")["we_are_model_provider"] is provider
    assert ("AIA602" in outcome.codes) is provider


@pytest.mark.parametrize(
    ("designated", "reference", "factor", "provider"),
    [
        (False, 1.0e23, 1.0, False),  # unknown compute: one third of 10^23 (GPAI)
        (False, 1.0e23, JUST_ABOVE, True),
        (True, 1.0e25, 1.0, False),  # unknown compute, systemic risk: one third of 10^25
        (True, 1.0e25, JUST_ABOVE, True),
    ],
)
def test_one_third_of_the_threshold_when_original_compute_is_unknown(
    tmp_path: Path, designated: bool, reference: float, factor: float, provider: bool
) -> None:
    modification = reference / 3 * factor
    text = model_manifest(
        general_purpose="true",
        systemic_risk_designated="true" if designated else "false",
        modifications=f"[{{kind: fine_tune, compute_flop: {modification!r}}}]",
        placed_on_market_by_us="true",
    )
    outcome = run(text, tmp_path / "r", policy="commission_one_third")
    assert outcome.model("m")["we_are_model_provider"] is provider


def test_cumulative_policy_makes_every_modifier_a_provider(tmp_path: Path) -> None:
    text = model_manifest(
        generates="[text]",
        training_compute_flop="3.0e24",
        modifications="[{kind: fine_tune, compute_flop: 1.0e18}]",
        placed_on_market_by_us="true",
    )
    assert run(text, tmp_path / "a", policy="cumulative").model("m")["we_are_model_provider"]
    default = run(text, tmp_path / "b")
    assert default.model("m")["we_are_model_provider"] is False
    assert default.document["policy"]["modification"] == "commission_one_third"


# --- 6 x N x D ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameters", "tokens", "status"),
    [
        (7.0e9, 2.3e12, "not_gpai"),  # 9.66e22
        (7.0e9, 2.4e12, "gpai"),  # 1.008e23
        (4.05e11, 4.2e12, "gpai_systemic_risk"),  # 1.02e25
    ],
)
def test_compute_estimated_as_six_n_d(
    tmp_path: Path, parameters: float, tokens: float, status: str
) -> None:
    text = model_manifest(
        generates="[text]", parameters=repr(parameters), training_tokens=repr(tokens)
    )
    outcome = run(text, tmp_path / "r")
    model = outcome.model("m")
    assert model["cumulative_compute_flop"] == pytest.approx(6 * parameters * tokens)
    assert model["compute_estimated"] is True
    assert model["gpai_status"] == status
    assert "AIA603" in outcome.codes


def test_declared_compute_wins_over_the_estimate(tmp_path: Path) -> None:
    text = model_manifest(
        generates="[text]",
        training_compute_flop="5.0e22",
        parameters="7.0e9",
        training_tokens="1.5e13",
    )
    outcome = run(text, tmp_path / "r")
    assert outcome.model("m")["cumulative_compute_flop"] == pytest.approx(5.0e22)
    assert outcome.model("m")["compute_estimated"] is False
    assert "AIA603" not in outcome.codes


# --- application dates ------------------------------------------------------------------------

SOCIAL_SCORING = """\
schema_version: 1
system: {name: Score}
roles: [provider]
market: {regions: [EU]}
use_case: {capabilities: {social_scoring: true}}
risk: {classification: prohibited}
"""

NUDIFIER = """\
schema_version: 1
system: {name: Undress}
roles: [provider]
market: {regions: [EU]}
use_case: {capabilities: {%s: true}}
risk: {classification: prohibited}
"""

CHATBOT = """\
schema_version: 1
system: {name: Bot}
roles: [provider]
market: {regions: [EU]}
use_case: {capabilities: {interacts_with_natural_persons: true}}
risk: {classification: limited}
"""

IMAGES = """\
schema_version: 1
system: {name: Images}
roles: [provider]
market: {regions: [EU], placed_on_market: %s}
use_case: {capabilities: {generates_synthetic_content: [image]}}
risk: {classification: limited}
"""

GPAI = """\
schema_version: 1
system: {name: Model}
roles: [provider]
market: {regions: [EU]}
models:
  - {id: m, general_purpose: true, placed_on_market_by_us: true%s}
risk: {classification: minimal}
"""

HIGH_RISK = """\
schema_version: 1
system: {name: High}
roles: [provider]
market: {regions: [EU]}
use_case: %s
risk: {classification: high}
"""
ANNEX_III = "{annex_iii: ['4(a)']}"
ANNEX_I = (
    "{annex_i: [MDR], product: {safety_component: true, third_party_conformity_assessment: true}}"
)


@pytest.mark.parametrize(("as_of", "code"), [("2025-02-01", "AIA402"), ("2025-02-02", "AIA401")])
def test_art_5_applies_from_2025_02_02(tmp_path: Path, as_of: str, code: str) -> None:
    outcome = run(SOCIAL_SCORING, tmp_path / "r", as_of)
    assert code in outcome.codes
    assert outcome.lines(code) == [5]
    assert (outcome.system["risk"] == "prohibited") is (code == "AIA401")


@pytest.mark.parametrize("fact", ["non_consensual_intimate_imagery", "child_sexual_abuse_material"])
@pytest.mark.parametrize(
    ("as_of", "code", "risk"),
    [("2026-12-01", "AIA402", "minimal"), ("2026-12-02", "AIA401", "prohibited")],
)
def test_art_5_1_ba_bb_apply_from_2026_12_02(
    tmp_path: Path, fact: str, as_of: str, code: str, risk: str
) -> None:
    outcome = run(NUDIFIER % fact, tmp_path / "r", as_of)
    assert code in outcome.codes
    assert outcome.lines(code) == [5]
    assert outcome.system["risk"] == risk


def _status(outcome: Outcome, ident: str, model: Optional[str] = None) -> str:
    obligation = outcome.obligation(ident, model)
    assert obligation is not None, (ident, outcome.system["obligations"])
    return str(obligation["status"])


@pytest.mark.parametrize(
    ("as_of", "status"), [("2025-08-01", "upcoming"), ("2025-08-02", "missing")]
)
def test_gpai_obligations_apply_from_2025_08_02(tmp_path: Path, as_of: str, status: str) -> None:
    outcome = run(GPAI % "", tmp_path / "r", as_of)
    assert _status(outcome, "gpai_copyright_policy", "m") == status


@pytest.mark.parametrize(
    ("as_of", "status"), [("2026-08-01", "upcoming"), ("2026-08-02", "missing")]
)
def test_art_50_applies_from_2026_08_02(tmp_path: Path, as_of: str, status: str) -> None:
    outcome = run(CHATBOT, tmp_path / "r", as_of)
    assert _status(outcome, "ai_interaction_notice") == status
    assert ("AIA501" in outcome.codes) is (status == "missing")


@pytest.mark.parametrize(
    ("placed", "as_of", "status"),
    [
        ("2026-08-01", "2026-12-01", "upcoming"),  # placed before 2026-08-02: Art. 111(4)
        ("2026-08-01", "2026-12-02", "missing"),  # due from 2 Dec 2026
        ("2026-08-02", "2026-12-01", "missing"),  # placed on the day: Art. 50(2) itself
    ],
)
def test_art_111_4_for_generators_placed_before_2026_08_02(
    tmp_path: Path, placed: str, as_of: str, status: str
) -> None:
    outcome = run(IMAGES % placed, tmp_path / "r", as_of)
    marking = outcome.obligation("synthetic_content_marking") or {}
    assert marking["status"] == status
    legacy = placed < "2026-08-02"
    assert marking["applies_from"] == ("2026-12-02" if legacy else "2026-08-02")
    assert marking["applies_from_article"] == ("Art. 111(4)" if legacy else "Art. 113; Art. 50")
    assert ("AIA502" in outcome.codes) is (status == "missing")
    if status == "missing":
        assert outcome.lines("AIA502") == [5]


@pytest.mark.parametrize(
    ("placed", "as_of", "status"),
    [
        ("2025-08-01", "2027-08-01", "upcoming"),  # legacy model: Art. 111(3)
        ("2025-08-01", "2027-08-02", "missing"),
        ("2025-08-02", "2025-08-02", "missing"),  # placed on the day: not a legacy model
    ],
)
def test_gpai_legacy_models_comply_by_2027_08_02(
    tmp_path: Path, placed: str, as_of: str, status: str
) -> None:
    outcome = run(GPAI % f", placed_on_market: {placed}", tmp_path / "r", as_of)
    assert _status(outcome, "gpai_technical_documentation", "m") == status
    assert ("AIA704" in outcome.codes) is (status == "upcoming")


@pytest.mark.parametrize(
    ("use_case", "day_before", "day"),
    [(ANNEX_III, "2027-12-01", "2027-12-02"), (ANNEX_I, "2028-08-01", "2028-08-02")],
)
def test_high_risk_obligations_by_route(
    tmp_path: Path, use_case: str, day_before: str, day: str
) -> None:
    before = run(HIGH_RISK % use_case, tmp_path / "before", day_before)
    assert _status(before, "risk_management") == "upcoming"
    assert (before.obligation("risk_management") or {})["applies_from"] == day
    assert not _missing(before, "risk_management") and "AIA702" in before.codes
    on = run(HIGH_RISK % use_case, tmp_path / "on", day)
    assert _status(on, "risk_management") == "missing"
    assert _missing(on, "risk_management") and "AIA702" not in on.codes


def _missing(outcome: Outcome, ident: str) -> bool:
    """An AIA701 finding reports this obligation as missing."""
    return any(
        f["rule"] == "AIA701" and f["message"].startswith(f"{ident} ") for f in outcome.findings
    )


def test_annex_i_systems_are_not_due_on_the_annex_iii_date(tmp_path: Path) -> None:
    outcome = run(HIGH_RISK % ANNEX_I, tmp_path / "r", "2027-12-02")
    assert _status(outcome, "risk_management") == "upcoming"


# --- aiact-lint compute -----------------------------------------------------------------------


def compute(*args: str) -> tuple[int, str]:
    result = run_cli("compute", *args)
    return result.code, result.out


def test_compute_estimates_six_n_d() -> None:
    code, out = compute("--params", "7e9", "--tokens", "2e12")
    assert code == 0
    assert "8.4e+22" in out  # 6 x 7e9 x 2e12
    assert "not a GPAI model" in out


@pytest.mark.parametrize(
    ("flop", "systemic"), [("1e25", False), ("1.000001e25", True), ("2e25", True)]
)
def test_compute_systemic_threshold(flop: str, systemic: bool) -> None:
    code, out = compute("--base-flop", flop)
    assert code == 0
    assert ("systemic risk" in out) is systemic


@pytest.mark.parametrize(
    ("modification", "provider"), [("1e24", False), ("1.000001e24", True), ("2e24", True)]
)
def test_compute_one_third(modification: str, provider: bool) -> None:
    code, out = compute("--base-flop", "3e24", "--modification-flop", modification)
    assert code == 0
    assert ("modifier IS the provider" in out) is provider
    assert ("modifier is NOT the provider" in out) is not provider


def test_compute_cumulative_policy_and_sum() -> None:
    code, out = compute(
        "--base-flop", "9e24", "--modification-flop", "2e24", "--modification-policy", "cumulative"
    )
    assert code == 0
    assert "1.1e+25" in out
    assert "systemic risk" in out
    assert "Policy cumulative" in out


def test_compute_needs_a_base() -> None:
    code, _ = compute("--params", "7e9")
    assert code == 2
