"""The sandbox: staff-written templates checked, compiled and rendered within fixed limits.

This module knows nothing of letters' data: the names a template may use and the values it gets
come from the caller. `run_job` is what a render worker (app/templating/workers.py) executes;
nothing here is called on user code in the web process itself.
"""

import operator
import re
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from itertools import islice
from types import FrameType, TracebackType
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta, nodes
from jinja2 import Template as JinjaTemplate
from jinja2.exceptions import SecurityError
from jinja2.filters import do_join, do_replace
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.errors import Invalid

SAFE_FILTERS = frozenset({
    "capitalize", "d", "default", "first", "last", "join", "length", "count", "list", "lower",
    "upper", "title", "trim", "replace", "truncate", "wordwrap", "sort", "map", "selectattr",
    "rejectattr", "select", "reject", "int", "string", "striptags", "abs", "round", "reverse",
})  # fmt: skip
# String methods a template may call: none of them can build a longer string than it was given.
SAFE_STR_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha",
    "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "lower", "lstrip",
    "partition", "removeprefix", "removesuffix", "rfind", "rindex", "rpartition", "rsplit",
    "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper",
})  # fmt: skip

# The limits, each named in the message of the template that passes it.
RENDER_SECONDS = 2  # per letter (and for compiling), measured in the worker
MEMORY_MB = 512  # address space a worker may add to what it holds when idle
MAX_OUTPUT = 100_000  # characters of one rendered subject or body
MAX_LENGTH = 100_000  # characters or items of any string or list a template builds
MAX_INT_BITS = 4096  # size of any integer a template computes
MAX_FORMAT_WIDTH = 1000  # width or precision in a `%` format
MAX_LOOP_DEPTH = 2
MAX_LOOP_TURNS = 1_000_000  # loop iterations in one rendered part, nested ones included

PARTS = {"subject": "Objet", "body": "Corps"}
OF_PART = {"subject": "de l'objet", "body": "du corps"}


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


TIME_LIMIT = f"le rendu dépasse la limite de temps ({RENDER_SECONDS} s par courrier)."
MEMORY_LIMIT = f"le rendu dépasse la limite de mémoire ({MEMORY_MB} Mo)."
OUTPUT_LIMIT = f"le texte rendu dépasse la limite de taille ({_number(MAX_OUTPUT)} caractères)."
LENGTH_LIMIT = (
    f"une chaîne ou une liste dépasse la limite de taille ({_number(MAX_LENGTH)} éléments)."
)
INT_LIMIT = f"un nombre dépasse la limite de taille ({_number(MAX_INT_BITS)} bits)."
FORMAT_LIMIT = f"un format « % » dépasse la limite de largeur ({_number(MAX_FORMAT_WIDTH)})."
DEPTH_LIMIT = "appels imbriqués trop profonds (macro ou boucle récursive)."
TURNS_LIMIT = f"les boucles dépassent la limite de {_number(MAX_LOOP_TURNS)} tours par courrier."


@dataclass(frozen=True)
class TemplateProblem:
    """One thing wrong with a template: which part, which line when known, and why (French)."""

    part: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.part is None:
            return self.message[0].upper() + self.message[1:]
        where = f"Ligne {self.line} {OF_PART[self.part]}" if self.line else PARTS[self.part]
        return f"{where} : {self.message}"


class TemplateInvalid(Invalid):
    """A template that cannot be rendered; says where and why."""

    def __init__(self, problems: Sequence[TemplateProblem]) -> None:
        text = " ".join(str(p) for p in problems)
        super().__init__(f"Modèle invalide. {text}", field=problems[0].part)
        self.problems = list(problems)


class LimitExceeded(SecurityError):
    """A template went past one of the limits above; the message names it."""


class TimeLimitExceeded(LimitExceeded):
    pass


def _check_length(value: Any) -> Any:
    if isinstance(value, str | list | tuple) and len(value) > MAX_LENGTH:
        raise LimitExceeded(LENGTH_LIMIT)
    return value


def _check_int(value: int) -> int:
    if value.bit_length() > MAX_INT_BITS:
        raise LimitExceeded(INT_LIMIT)
    return value


_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_format(pattern: str) -> None:
    for width, precision in _FORMAT_SPEC.findall(pattern):
        for number in (width, precision):
            if number == "*" or (number and int(number) > MAX_FORMAT_WIDTH):
                raise LimitExceeded(FORMAT_LIMIT)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Loop turns left in the part being rendered; set by _render, spent by every `for`.
_turns_left: ContextVar[list[int]] = ContextVar("template_loop_turns")
_COUNTED = "_counted_turns"  # the filter put on every loop's iterable; not one users may write


def _counted_turns(iterable: Iterable[Any]) -> Iterator[Any]:
    """The iterable, each item spending one turn: two nested loops over 10,000 items are
    refused at once rather than left to the time limit (a fast machine runs them in 2 s)."""
    left = _turns_left.get()
    for item in iterable:
        left[0] -= 1
        if left[0] < 0:
            raise LimitExceeded(TURNS_LIMIT)
        yield item


class Sandbox(ImmutableSandboxedEnvironment):
    """No globals, a short list of filters, and operators that check sizes before they compute."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        for loop in source.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _COUNTED, [], [], None, None, lineno=loop.lineno)
        return super()._generate(source, name, filename, defer_init)

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**":
            if not all(isinstance(v, int | float) for v in (left, right)):
                raise SecurityError("puissance d'autre chose qu'un nombre")
            if _is_int(left) and _is_int(right) and right > 0:
                if left.bit_length() * right > MAX_INT_BITS:
                    raise LimitExceeded(INT_LIMIT)
            elif abs(right) > MAX_INT_BITS:
                raise LimitExceeded(INT_LIMIT)
            return left**right
        if operator_ == "*":
            if _is_int(left) and _is_int(right):
                if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise LimitExceeded(INT_LIMIT)
                return left * right
            sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
            counts = [v for v in (left, right) if _is_int(v)]
            if sizes and counts and sizes[0] * max(counts[0], 0) > MAX_LENGTH:
                raise LimitExceeded(LENGTH_LIMIT)
            return _check_length(operator.mul(left, right))
        if operator_ == "%":
            if isinstance(left, str):
                _check_format(left)
                return _check_length(left % right)
            return operator.mod(left, right)
        # "+": two strings or lists joined
        if all(isinstance(v, str | list | tuple) for v in (left, right)):
            if len(left) + len(right) > MAX_LENGTH:
                raise LimitExceeded(LENGTH_LIMIT)
        elif _is_int(left) and _is_int(right):
            return _check_int(left + right)
        return operator.add(left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and callable(value) and attr not in SAFE_STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        return None  # str.format is simply not allowed (is_safe_attribute refuses it)


def _bounded(filter_: Callable[..., Any]) -> Callable[..., Any]:
    """The same filter, refusing a result longer than MAX_LENGTH."""

    @wraps(filter_)  # keeps jinja's pass_* marker
    def bounded(*args: Any, **kwargs: Any) -> Any:
        return _check_length(filter_(*args, **kwargs))

    return bounded


def _replace(eval_ctx: Any, s: Any, old: str, new: str, count: int | None = None) -> str:
    text, old, new = str(s), str(old), str(new)
    times = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        times = min(times, count)
    if len(text) + times * (len(new) - len(old)) > MAX_LENGTH:
        raise LimitExceeded(LENGTH_LIMIT)
    return do_replace(eval_ctx, s, old, new, count)


def _join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    items = list(value)
    if attribute is None and len(d) * len(items) + sum(len(str(i)) for i in items) > MAX_LENGTH:
        raise LimitExceeded(LENGTH_LIMIT)
    return str(do_join(eval_ctx, items, d, attribute))


def _environment() -> Sandbox:
    env = Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()
    filters = {name: f for name, f in env.filters.items() if name in SAFE_FILTERS}
    filters["replace"] = wraps(do_replace)(_replace)
    filters["join"] = wraps(do_join)(_join)
    env.filters = {name: _bounded(f) for name, f in filters.items()}
    env.filters[_COUNTED] = _counted_turns
    return env


ENV = _environment()


def _template_line(tb: TracebackType | None) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _explain(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, LimitExceeded):
        return text
    if isinstance(exc, MemoryError):
        return MEMORY_LIMIT
    if isinstance(exc, RecursionError):
        return DEPTH_LIMIT
    if isinstance(exc, UndefinedError):
        if found := re.search(r"has no attribute '([^']+)'", text):
            return f"l'attribut « {found[1]} » n'existe pas."
        if found := re.search(r"'([^']+)' is undefined", text):
            return f"la variable « {found[1]} » n'existe pas."
        return "variable inconnue."
    if isinstance(exc, SecurityError):
        return "accès interdit (objets internes de Python ou opération trop grosse)."
    return f"erreur à l'exécution ({type(exc).__name__})."


def _loop_depth(node: nodes.Node, depth: int = 0) -> int:
    depth += isinstance(node, nodes.For)
    return max([depth, *(_loop_depth(child, depth) for child in node.iter_child_nodes())])


def _static_problems(part: str, source: str, names: frozenset[str]) -> Iterator[TemplateProblem]:
    try:
        tree = ENV.parse(source)
    except TemplateSyntaxError as exc:
        yield TemplateProblem(part, exc.lineno, f"erreur de syntaxe ({exc.message}).")
        return
    bad_filters = [f for f in tree.find_all(nodes.Filter) if f.name not in SAFE_FILTERS]
    for call in bad_filters:
        yield TemplateProblem(part, call.lineno, f"le filtre « {call.name} » n'est pas permis.")
    if bad_filters:
        return
    unknown = meta.find_undeclared_variables(tree) - names
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name in unknown:
            unknown.discard(name.name)
            yield TemplateProblem(part, name.lineno, f"la variable « {name.name} » n'existe pas.")
    if _loop_depth(tree) > MAX_LOOP_DEPTH:
        yield TemplateProblem(part, None, f"plus de {MAX_LOOP_DEPTH} boucles imbriquées.")


def _render(part: str, template: JinjaTemplate, context: Mapping[str, Any]) -> str:
    """One part, joined a few pieces at a time so that output past MAX_OUTPUT stops it early."""
    pieces, size = [], 0
    turns = _turns_left.set([MAX_LOOP_TURNS])
    try:
        generator = template.root_render_func(template.new_context(dict(context)))
        while batch := list(islice(generator, 64)):
            piece = "".join(batch)
            size += len(piece)
            if size > MAX_OUTPUT:
                raise TemplateInvalid([TemplateProblem(part, None, OUTPUT_LIMIT)])
            pieces.append(piece)
    except TemplateInvalid:
        raise
    except Exception:  # any failure of staff-written code is theirs to fix
        try:
            ENV.handle_exception()  # re-raised with the template's own lines
        except Exception as exc:
            problem = TemplateProblem(part, _template_line(exc.__traceback__), _explain(exc))
            raise TemplateInvalid([problem]) from None
    finally:
        _turns_left.reset(turns)
    return "".join(pieces)


@dataclass(frozen=True)
class CompiledLetter:
    """Subject and body compiled once, rendered for many contexts."""

    subject: JinjaTemplate
    body: JinjaTemplate

    def render(self, context: Mapping[str, Any]) -> tuple[str, str]:
        subject = _render("subject", self.subject, context).strip()
        if "\n" in subject or "\r" in subject:
            raise TemplateInvalid(
                [TemplateProblem("subject", None, "l'objet rendu doit tenir sur une seule ligne.")]
            )
        return subject, _render("body", self.body, context)


def compile_letter(subject: str, body: str, names: frozenset[str]) -> CompiledLetter:
    """Every static problem of both parts at once, else the compiled pair."""
    problems = [
        *_static_problems("subject", subject, names),
        *_static_problems("body", body, names),
    ]
    if problems:
        raise TemplateInvalid(problems)
    try:
        return CompiledLetter(subject=ENV.from_string(subject), body=ENV.from_string(body))
    except RecursionError:
        raise TemplateInvalid([TemplateProblem(None, None, DEPTH_LIMIT)]) from None


@dataclass(frozen=True)
class RenderJob:
    """One round-trip to a worker: a template and the contexts of every letter to render.

    Each letter sees `shared` (demands, sender, date…) plus its own entry of `each`.
    """

    subject: str
    body: str
    names: frozenset[str]
    shared: Mapping[str, Any] = field(default_factory=dict)
    each: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class RenderOutcome:
    """What a worker answers: the letters, or the problems that stopped them."""

    letters: list[tuple[str, str]] = field(default_factory=list)
    problems: list[TemplateProblem] = field(default_factory=list)


def _time_up(signum: int, frame: FrameType | None) -> None:
    raise TimeLimitExceeded(TIME_LIMIT)


class Timer:
    """A wall-clock alarm per step, raising TimeLimitExceeded inside the template's own code."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        signal.signal(signal.SIGALRM, _time_up)

    def start(self) -> None:
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)


_compiled: dict[tuple[str, str, frozenset[str]], CompiledLetter] = {}


def run_job(job: RenderJob, *, timer: Timer, step: Callable[[], None]) -> RenderOutcome:
    """Compile (cached) then render every letter; `step` is called after each one."""
    key = (job.subject, job.body, job.names)
    try:
        timer.start()
        try:
            compiled = _compiled.get(key) or compile_letter(job.subject, job.body, job.names)
        finally:
            timer.stop()
        if len(_compiled) > 32:
            _compiled.clear()
        _compiled[key] = compiled
        step()
        letters = []
        for own in job.each:
            timer.start()
            try:
                letters.append(compiled.render({**job.shared, **own}))
            finally:
                timer.stop()
            step()
    except TemplateInvalid as exc:
        return RenderOutcome(problems=exc.problems)
    except (TimeLimitExceeded, MemoryError, RecursionError) as exc:  # outside template code
        return RenderOutcome(problems=[TemplateProblem(None, None, _explain(exc))])
    return RenderOutcome(letters=letters)
