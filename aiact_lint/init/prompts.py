"""Ask one question: at the prompt (interactive), or take the answer from a flag or the default.

Interactive input is plain :func:`input` on standard input, so a pipe can drive it (tests do). A
closed standard input ends the dialogue with :class:`InitAborted`, never a traceback. An invalid
answer is explained and the question asked again.
"""

from __future__ import annotations

import sys
from typing import Callable, Optional, Sequence, TextIO

YES = ("y", "yes", "true", "1", "j", "ja", "oui")
NO = ("n", "no", "false", "0", "nein", "non")


class InitAborted(Exception):
    """The dialogue cannot go on (standard input closed, refused answer): exit code 2."""


def split_list(value: str) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``: what a comma-separated answer holds."""
    return [part.strip() for part in value.split(",") if part.strip()]


class Prompter:
    """One dialogue. ``interactive`` False: every answer is the flag's value or the default."""

    def __init__(self, interactive: bool, out: Optional[TextIO] = None) -> None:
        self.interactive = interactive
        self.out = out if out is not None else sys.stdout
        self.echo = interactive and not sys.stdin.isatty()  # a readable transcript from a pipe

    def say(self, text: str = "") -> None:
        """One message; it may quote repository content (paths, names), so it is escaped and
        never a workflow command (safetext)."""
        from aiact_lint.safetext import escape, inert_lines

        self.out.write(inert_lines(escape(text, newlines=True)) + "\n")
        self.out.flush()

    def heading(self, text: str) -> None:
        if self.interactive:
            self.say()
            self.say(f"== {text}")

    def _read(self, prompt: str) -> str:
        self.out.flush()
        try:
            from aiact_lint.safetext import escape

            answer = input(escape(prompt))
        except EOFError:
            if self.echo:
                self.say()
            raise InitAborted(
                "standard input ended before every question was answered "
                f"(unanswered: {prompt.strip().rstrip(':').strip()})"
            ) from None
        if self.echo:
            self.say(answer)
        return answer.strip()

    def ask(
        self,
        question: str,
        default: str,
        parse: Callable[[str], object] | None = None,
        hint: str = "",
    ) -> str:
        """A free answer; an empty answer takes ``default``. ``parse`` raises ValueError to
        reject an answer (its message is shown)."""
        shown = f" [{default}]" if default else ""
        if hint:
            self.say(f"  {hint}")
        while True:
            answer = self._read(f"{question}{shown}: ") or default
            if parse is None:
                return answer
            try:
                parse(answer)
            except ValueError as error:
                self.say(f"  ! {error}")
                continue
            return answer

    def text(
        self,
        question: str,
        preset: Optional[str],
        default: str = "",
        parse: Callable[[str], object] | None = None,
        hint: str = "",
        required: bool = False,
    ) -> str:
        if preset is not None:
            return preset
        if not self.interactive:
            return default
        while True:
            answer = self.ask(question, default, parse, hint)
            if answer or not required:
                return answer
            self.say("  ! an answer is required")

    def choice(
        self,
        question: str,
        choices: Sequence[str],
        preset: Optional[str],
        default: str,
        hint: str = "",
    ) -> str:
        if preset is not None:
            return preset
        if not self.interactive:
            return default

        def parse(answer: str) -> str:
            found = _match(answer, choices)
            if found is None:
                raise ValueError(f"answer one of: {', '.join(choices)}")
            return found

        answer = self.ask(f"{question} ({' | '.join(choices)})", default, parse, hint)
        return parse(answer)

    def many(
        self,
        question: str,
        choices: Optional[Sequence[str]],
        preset: Optional[Sequence[str]],
        default: Sequence[str],
        hint: str = "",
        none_word: str = "none",
        check: Callable[[str], Optional[str]] | None = None,
        labels: Optional[dict[str, str]] = None,
    ) -> list[str]:
        """A comma-separated list. ``choices`` None: free words (``check`` may refuse one).
        ``labels``: each choice is shown on its own line with its title, not as bare codes."""
        if preset is not None:
            return list(preset)
        if not self.interactive:
            return list(default)

        def parse(answer: str) -> list[str]:
            if answer.lower() == none_word:
                return []
            items = []
            for item in split_list(answer):
                if choices is not None:
                    found = _match(item, choices)
                    if found is None:
                        raise ValueError(f"{item!r} is not one of: {', '.join(choices)}")
                    item = found
                elif check is not None:
                    problem = check(item)
                    if problem:
                        raise ValueError(problem)
                if item not in items:
                    items.append(item)
            return items

        shown = f" ({', '.join(choices)})" if choices is not None and not labels else ""
        if labels and choices is not None:
            width = max(len(choice) for choice in choices)
            for choice in choices:
                self.say(f"    {choice.ljust(width)}  {labels.get(choice, '')}".rstrip())
        answer = self.ask(f"{question}{shown}", ", ".join(default) or none_word, parse, hint)
        return parse(answer)

    def yes_no(self, question: str, preset: Optional[bool], default: bool, hint: str = "") -> bool:
        if preset is not None:
            return preset
        if not self.interactive:
            return default

        def parse(answer: str) -> bool:
            lowered = answer.lower()
            if lowered in YES:
                return True
            if lowered in NO:
                return False
            raise ValueError("answer y (yes) or n (no)")

        shown = "Y/n" if default else "y/N"
        if hint:
            self.say(f"  {hint}")
        while True:
            answer = self._read(f"{question} [{shown}]: ")
            if not answer:
                return default
            try:
                return parse(answer)
            except ValueError as error:
                self.say(f"  ! {error}")


def _match(answer: str, choices: Sequence[str]) -> Optional[str]:
    """The choice ``answer`` names: exactly (ignoring case, ``-``/``_``) or by a unique prefix."""
    wanted = answer.strip().lower().replace("-", "_").replace(" ", "_")
    if not wanted:
        return None
    for choice in choices:
        if choice.lower() == wanted:
            return choice
    starting = [choice for choice in choices if choice.lower().startswith(wanted)]
    return starting[0] if len(starting) == 1 else None
