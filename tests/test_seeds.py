"""The seed documents' worked cases, with the outcome the REGULATION gives (not the seed's).

* The open-source seed's four "practical scenarios". Where the seed and the Regulation part,
  the Regulation wins: the in-house Llama chatbot makes its builder the PROVIDER (Art. 3(3)),
  not merely the deployer, with the Art. 50(1) notice and no open-source exemption; clinical
  decision support is NOT Annex III 5(b) (that point is credit scoring): a medical device is
  high-risk through Art. 6(1) and Annex I (MDR), on the Annex I date.
* The GPAI white paper's "four exhaustive examples of providers", under both modification
  policies: ``commission_one_third`` (the Commission guidelines, the default) and
  ``cumulative`` (the white paper's reading: every modification makes a new model whose
  category follows cumulative compute, with duties limited to the modification - Recital 109
  - except those of a category the original model did not have).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import AS_OF, NO_PRACTICES
from tests.legal_harness import Outcome, check

# --- the open-source seed: four practical scenarios -------------------------------------------

LLAMA_CHATBOT = """\
schema_version: 1
system:
  name: Retail support chatbot
  description: Customer service chatbot for a retail company with EU customers.
  developer: us
roles: [deployer]
market:
  regions: [EU]
  brand: own
  free_open_source: {foss}
models:
  - id: meta-llama/Llama-3.2-3B-Instruct
    provider: Meta
    access: weights
    license: llama3.2
    open_weights: true
    general_purpose: true
    placed_on_market_by_us: false
use_case:
  purpose: Answer customer questions about orders, shipping and returns.
  sector: retail
  affected_persons: [customers]
  annex_iii: []
  capabilities:
    interacts_with_natural_persons: true
    generates_synthetic_content: [text]
risk:
  classification: limited
evidence:
  ai_literacy: docs/ai-literacy.md
"""


@pytest.mark.parametrize("foss", ["false", "true"])
def test_llama_chatbot_built_in_house_is_provided_not_exempt(tmp_path: Path, foss: str) -> None:
    out = check(LLAMA_CHATBOT.format(foss=foss), tmp_path / "repo", as_of=AS_OF)
    system = out.system
    assert system["in_scope"] is True
    assert system["risk"] == "limited"
    assert set(system["routes"]) == {"art50:1", "art50:2"}
    # Built and put into service under its own name: the provider (Art. 3(3)), not only the
    # deployer the seed calls it.
    assert system["roles"] == ["provider", "deployer"]
    assert "AIA211" in out.codes
    notice = out.obligation("ai_interaction_notice")
    assert notice is not None and notice["status"] == "missing"  # not exempt
    assert "AIA501" in out.codes
    # Meta's open weights exempt Meta (partly), never the organisation building on them.
    llama = out.model("meta-llama/Llama-3.2-3B-Instruct")
    assert llama["gpai_status"] == "gpai"
    assert llama["we_are_model_provider"] is False
    assert not [o for o in system["obligations"] if o["id"].startswith("gpai_")]
    if foss == "true":  # releasing the chatbot itself as open source changes nothing (Art. 2(12))
        assert "AIA204" in out.codes
    assert "AIA201" not in out.codes
    assert out.code == 1


CLINICAL_DECISION_SUPPORT = """\
schema_version: 1
system:
  name: Clinical decision support
  description: Suggests diagnoses and treatment options to hospital physicians.
  developer: us
roles: [provider]
organisation: {established_in: DE}
market:
  regions: [EU]
  brand: own
models:
  - id: mistralai/Mistral-7B-v0.1
    provider: Mistral AI
    access: weights
    license: apache-2.0
    free_open_source: true
    open_weights: true
    general_purpose: true
    modifications:
      - kind: fine_tune
        compute_flop: 2.0e19
        description: Fine-tuned on de-identified medical records.
    placed_on_market_by_us: false
use_case:
  purpose: >-
    Supports clinical decision-making for hospital physicians by suggesting diagnoses
    and treatment options from patient records.
  sector: healthcare
  affected_persons: [patients]
  annex_iii: []
  annex_i: [MDR]
  product:
    safety_component: true
    third_party_conformity_assessment: true
  capabilities: %s
risk:
  classification: high
evidence:
  ai_literacy: docs/ai-literacy.md
""".replace("%s", NO_PRACTICES)


def test_clinical_decision_support_is_annex_i_mdr_not_annex_iii_5b(tmp_path: Path) -> None:
    out = check(CLINICAL_DECISION_SUPPORT, tmp_path / "repo", as_of="2027-12-02")
    system = out.system
    assert system["risk"] == "high"
    assert system["routes"] == ["annex_i:MDR"]  # Art. 6(1) + Annex I (MDR) ...
    assert "annex_iii:5(b)" not in system["routes"]  # ... not the seed's Annex III 5(b)
    assert "AIA301" not in out.codes and "AIA306" not in out.codes
    # Annex I date (Art. 113(c)(ii) as amended): upcoming when the Annex III duties start.
    risk_management = out.obligation("risk_management")
    assert risk_management is not None
    assert risk_management["status"] == "upcoming"
    assert risk_management["applies_from"] == "2028-08-02"
    assert out.obligation("registration") is None  # Art. 49(1) registration: Annex III only
    assert out.obligation("fundamental_rights_impact_assessment") is None
    # The light fine-tune does not make the startup the provider of the modified model.
    mistral = out.model("mistralai/Mistral-7B-v0.1")
    assert mistral["we_are_model_provider"] is False
    assert out.code == 0

    later = check(CLINICAL_DECISION_SUPPORT, tmp_path / "later", as_of="2028-08-02")
    assert later.obligation("risk_management") == {**risk_management, "status": "missing"}
    assert "AIA701" in later.codes
    assert later.code == 1


HR_RANKING = """\
schema_version: 1
system:
  name: Internal applicant ranking
  description: Internal HR tool that ranks job applicants.
  developer: us
roles: [deployer]
organisation: {established_in: NL}
market:
  regions: [EU]
  brand: own
models:
  - id: mistralai/Mistral-7B-Instruct-v0.3
    provider: Mistral AI
    access: weights
    license: apache-2.0
    free_open_source: true
    open_weights: true
    general_purpose: true
use_case:
  purpose: Ranks job applicants for open positions by analysing and filtering their applications.
  sector: human resources
  affected_persons: [job applicants]
  annex_iii: ["4(a)"]
risk:
  classification: high
evidence:
  ai_literacy: docs/ai-literacy.md
"""


def test_hr_ranking_is_annex_iii_4a_high_risk(tmp_path: Path) -> None:
    out = check(HR_RANKING, tmp_path / "repo", as_of="2027-12-02")
    system = out.system
    assert system["risk"] == "high"
    assert system["routes"] == ["annex_iii:4(a)"]
    assert system["roles"] == ["provider", "deployer"]  # built in-house: Art. 3(3)
    for ident in ("risk_management", "technical_documentation", "human_oversight_design"):
        obligation = out.obligation(ident)
        assert obligation is not None and obligation["status"] == "missing", ident
    worker_information = out.obligation("deployer_worker_information")
    assert worker_information is not None and worker_information["status"] == "missing"
    assert {"AIA211", "AIA701"} <= out.codes
    assert "AIA210" not in out.codes  # its own system: Art. 3(3), not Art. 25(1)(a)
    assert out.code == 1


LOCAL_RUNNER = """\
schema_version: 1
system:
  name: LocalLM runner
  description: Desktop tool that downloads open-source LLMs and runs them on the user's machine.
  developer: us
roles: [provider]
market:
  regions: [EU, US]
  brand: own
use_case:
  purpose: >-
    Lets developers download and run open-source large language models locally on their
    own machines.
  sector: developer tools
  affected_persons: [developers]
  annex_iii: []
  annex_i: []
  capabilities: %s
risk:
  classification: minimal
evidence:
  ai_literacy: docs/ai-literacy.md
""".replace("%s", NO_PRACTICES)


def test_local_llm_runner_is_minimal(tmp_path: Path) -> None:
    out = check(LOCAL_RUNNER, tmp_path / "repo", as_of=AS_OF)
    system = out.system
    assert system["in_scope"] is True
    assert system["risk"] == "minimal"
    assert system["routes"] == []
    assert [o["id"] for o in system["obligations"]] == ["ai_literacy"]
    assert not out.codes - {"AIA702"}
    assert out.code == 0


# --- the GPAI white paper: four exhaustive examples of providers ----------------------------

MODEL = """\
schema_version: 1
system:
  name: {name}
  developer: us
roles: [provider]
organisation: {{established_in: FR}}
market:
  regions: [EU]
models:
  - id: model
    generates: [text]
    training_compute_flop: {base}
{modifications}    placed_on_market_by_us: true
use_case:
  purpose: Placing a language model on the market.
risk:
  classification: minimal
evidence:
  ai_literacy: docs/ai-literacy.md
"""

ART_53 = (
    "gpai_technical_documentation",
    "gpai_downstream_information",
    "gpai_copyright_policy",
    "gpai_training_content_summary",
)
ART_52_55 = (
    "gpai_commission_notification",
    "gpai_systemic_risk_evaluation",
    "gpai_serious_incidents",
    "gpai_cybersecurity",
)
POLICIES = ("commission_one_third", "cumulative")


def manifest(name: str, base: str, modification: str | None = None) -> str:
    mods = (
        "    modifications:\n"
        f"      - {{kind: continued_pretraining, compute_flop: {modification}}}\n"
        if modification
        else ""
    )
    return MODEL.format(name=name, base=base, modifications=mods)


def model_duties(out: Outcome) -> dict[str, dict[str, str]]:
    return {o["id"]: o for o in out.system["obligations"] if o.get("model") == "model"}


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize(
    ("base", "status", "systemic"),
    [("5.0e24", "gpai", False), ("2.0e25", "gpai_systemic_risk", True)],
)
def test_case_1_developed_from_scratch_full_duties(
    tmp_path: Path, policy: str, base: str, status: str, systemic: bool
) -> None:
    out = check(manifest("from scratch", base), tmp_path / "repo", as_of=AS_OF, policy=policy)
    model = out.model("model")
    assert model["gpai_status"] == status
    assert model["we_are_model_provider"] is True
    duties = model_duties(out)
    assert set(ART_53) <= set(duties)  # Arts. 53-54 in full
    assert (set(ART_52_55) <= set(duties)) is systemic  # Arts. 52 and 55 for systemic risk
    assert all("extent" not in d for d in duties.values())  # not a modification: no limit
    assert out.document["policy"]["modification"] == policy


@pytest.mark.parametrize("policy", POLICIES)
def test_case_2_modifying_a_model_that_was_not_gpai_gives_full_duties(
    tmp_path: Path, policy: str
) -> None:
    # Below the policy's GPAI criterion (1e23 for the guidelines, 1e22 for the white paper),
    # then above it with 8e22 of continued pre-training.
    base = "6.0e22" if policy == "commission_one_third" else "6.0e21"
    out = check(
        manifest("below then above", base, "8.0e22"), tmp_path / "r", as_of=AS_OF, policy=policy
    )
    model = out.model("model")
    assert model["gpai_status"] == "gpai"
    assert model["we_are_model_provider"] is True  # 8e22 > 2e22: both policies agree
    assert "AIA604" in out.codes  # the modification moved it across the GPAI criterion
    assert "AIA602" in out.codes
    duties = model_duties(out)
    assert set(ART_53) <= set(duties)
    assert not set(ART_52_55) & set(duties)
    if policy == "cumulative":
        assert {duties[d]["extent"] for d in ART_53} == {"full"}


@pytest.mark.parametrize("policy", POLICIES)
def test_case_3_small_modification_of_a_gpai_model(tmp_path: Path, policy: str) -> None:
    # 2e24 FLOP GPAI model + a 1e22 fine-tune: same category.
    out = check(
        manifest("fine-tune", "2.0e24", "1.0e22"), tmp_path / "r", as_of=AS_OF, policy=policy
    )
    model = out.model("model")
    assert model["gpai_status"] == "gpai"
    duties = model_duties(out)
    assert "AIA604" not in out.codes
    if policy == "commission_one_third":
        # 1e22 is far below one third of 2e24: the original provider stays the provider.
        assert model["we_are_model_provider"] is False
        assert duties == {}
        assert "AIA602" not in out.codes
    else:
        # A new model; its provider's duties are limited to the modification (Recital 109).
        assert model["we_are_model_provider"] is True
        assert "AIA602" in out.codes
        assert {duties[d]["extent"] for d in ART_53} == {"modification"}
        assert not set(ART_52_55) & set(duties)


@pytest.mark.parametrize("policy", POLICIES)
def test_case_4_modification_reaches_systemic_risk(tmp_path: Path, policy: str) -> None:
    # 9e24 FLOP GPAI model + 2e24 FLOP: cumulative 1.1e25 > 1e25 (Art. 51(2)).
    out = check(
        manifest("to systemic", "9.0e24", "2.0e24"), tmp_path / "r", as_of=AS_OF, policy=policy
    )
    model = out.model("model")
    assert model["gpai_status"] == "gpai_systemic_risk"
    assert "AIA604" in out.codes  # crossing 1e25: notify within two weeks (Art. 52(1))
    duties = model_duties(out)
    if policy == "commission_one_third":
        # 2e24 is less than one third of 9e24: under the guidelines' criterion the modifier
        # does not become the provider (the policy is named in the AIA602-free output).
        assert model["we_are_model_provider"] is False
        assert duties == {}
    else:
        assert model["we_are_model_provider"] is True
        assert {duties[d]["extent"] for d in ART_53} == {"modification"}  # Arts. 53-54: delta
        assert {duties[d]["extent"] for d in ART_52_55} == {"full"}  # Arts. 52, 55: in full
        assert out.code == 1
