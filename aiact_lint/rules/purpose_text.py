"""What the purpose says, against what the manifest declares (the detector's suspicions).

The words of use_case.purpose, use_case.sector, system.description and use_case.affected_persons
are read once per manifest by :mod:`aiact_lint.detect`; each rule here compares one kind of
suspicion with the facts the manifest declares:

* AIA410 - an Art. 5 practice described while the capability flags do not declare it;
* AIA320 - an Annex I product (medical device, machinery, vehicle...) while use_case.annex_i is
  empty: the Art. 6(1) route;
* AIA510 - an Art. 50 use (talks to people, generates content, deep fakes, public-interest text)
  while its capability flag is false or absent.

Annex III suspicions stay with :func:`aiact_lint.rules.risk.undeclared_annex_iii` (AIA301/306).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from aiact_lint.findings import Finding
from aiact_lint.rules.context import RuleContext
from aiact_lint.yamlsafe import PathKey

if TYPE_CHECKING:
    from aiact_lint.detect import Suspicion

#: Manifest fields the detector reads, in the order a suspicion is reported from.
FIELDS: dict[str, PathKey] = {
    "use_case.purpose": ("use_case", "purpose"),
    "system.description": ("system", "description"),
    "use_case.sector": ("use_case", "sector"),
    "use_case.affected_persons": ("use_case", "affected_persons"),
}
CAPABILITIES = ("use_case", "capabilities")


def manifest_texts(ctx: RuleContext) -> dict[str, str]:
    """The free-text fields of the manifest, keyed by their dotted path (lists joined)."""
    texts = {}
    for name, path in FIELDS.items():
        value = ctx.manifest.get(*path)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if isinstance(v, (str, int, float)))
        if isinstance(value, str) and value.strip():
            texts[name] = value
    return texts


def suspicions(ctx: RuleContext) -> list[Suspicion]:
    """The detector's reading of this manifest, computed once per rule context."""
    cached: list[Suspicion] | None = getattr(ctx, "_suspicions", None)
    if cached is None:
        texts = manifest_texts(ctx)
        if texts:
            from aiact_lint.detect import detect

            language = ctx.manifest.get("system", "language")
            cached = detect(texts, language if isinstance(language, str) else None)
        else:
            cached = []  # nothing to read: the detector (and its stemmer) is never imported
        ctx._suspicions = cached  # type: ignore[attr-defined]
    return cached


def _capability(ctx: RuleContext, name: str) -> Any:
    return ctx.manifest.get(*CAPABILITIES, name)


def _at(ctx: RuleContext, suspicion: Suspicion, *preferred: PathKey) -> PathKey:
    return ctx.first_present(*preferred, FIELDS[suspicion.field])


def art5_from_text(ctx: RuleContext) -> Iterator[Finding]:
    """AIA410: the purpose describes an Art. 5 practice the capabilities do not declare."""
    declared = {practice.point for practice in ctx.det.practices}
    for suspicion in suspicions(ctx):
        if suspicion.kind != "art5" or suspicion.point in declared:
            continue
        entry = _entry(suspicion)
        flag = str(entry.get("flag") or "")
        flag_text = str(entry.get("flag_value") or f"{flag}: true")
        value = _capability(ctx, flag)
        state = "is not declared" if value is None else f"is {_show(value)}"
        exception = entry.get("exception")
        fix = (
            f"If the system does this, declare use_case.capabilities {flag_text} (the practice is "
        )
        fix += "prohibited: withdraw it); if it does not, reword the purpose."
        if exception:
            fix += f" If an exception applies, document it: {exception}."
        yield ctx.finding(
            "AIA410",
            _at(ctx, suspicion, (*CAPABILITIES, flag)),
            f"{suspicion.explanation}, but use_case.capabilities.{flag} {state}",
            article=suspicion.article,
            fix=fix,
            subject=f"text:art5:{suspicion.point}",
        )


def annex_i_from_text(ctx: RuleContext) -> Iterator[Finding]:
    """AIA320: the purpose describes an Annex I product while use_case.annex_i is empty."""
    declared = ctx.manifest.get("use_case", "annex_i")
    if isinstance(declared, list) and declared:
        return
    for suspicion in suspicions(ctx):
        if suspicion.kind != "annex_i":
            continue
        act = f'["{suspicion.point}"]' if suspicion.point != "OTHER" else "[the act]"
        yield ctx.finding(
            "AIA320",
            _at(ctx, suspicion, ("use_case", "annex_i")),
            f"{suspicion.explanation}, but use_case.annex_i is empty: the Art. 6(1) route "
            "(product safety legislation) decides whether it is high-risk",
            article=suspicion.article,
            fix=f"Declare use_case.annex_i: {act} and use_case.product (safety_component, "
            "third_party_conformity_assessment), or reword the purpose if no regulated product "
            "is involved.",
            subject=f"text:annex_i:{suspicion.point}",
        )
        return  # one Art. 6(1) question per manifest


#: Art. 50 paragraph -> how the manifest declares it (read by AIA510).
ART50_DECLARED = {
    "1": lambda v: v is True,  # interacts_with_natural_persons
    "2": lambda v: isinstance(v, list) and bool(v),  # generates_synthetic_content
    "4_deep_fake": lambda v: v is True,  # deep_fake
    "4_text": lambda v: v is True,  # public_interest_text
}


def art50_from_text(ctx: RuleContext) -> Iterator[Finding]:
    """AIA510: the purpose describes an Art. 50 use its capability flag does not declare."""
    for suspicion in suspicions(ctx):
        if suspicion.kind != "art50":
            continue
        entry = _entry(suspicion)
        flag = str(entry["flag"])
        value = _capability(ctx, flag)
        if ART50_DECLARED[suspicion.point](value):
            continue
        state = "is not declared" if value is None else f"is {_show(value)}"
        setting = "[text, image, audio, video as it applies]" if flag.startswith("gen") else "true"
        fix = f"Declare use_case.capabilities.{flag}: {setting} and plan the {suspicion.article} "
        fix += "measure"
        exception = entry.get("exception")
        fix += f", or document the exception ({exception})." if exception else "."
        yield ctx.finding(
            "AIA510",
            _at(ctx, suspicion, (*CAPABILITIES, flag)),
            f"{suspicion.explanation}, but use_case.capabilities.{flag} {state}",
            article=suspicion.article,
            fix=fix,
            subject=f"text:art50:{suspicion.point}",
        )


def _entry(suspicion: Suspicion) -> dict[str, Any]:
    from aiact_lint.detect import frame_table

    key = f"{suspicion.kind}:{suspicion.point}"
    found: dict[str, Any] = next(p for p in frame_table()["points"] if p["key"] == key)
    return found


def _show(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value in ([], "", {}):
        return "empty"
    return repr(value)
