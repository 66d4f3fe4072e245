"""Letters rendered by a sandboxed Jinja2: official, demands, sender and date, nothing else."""

import operator
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta, nodes
from jinja2 import Template as JinjaTemplate
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.errors import Invalid
from app.officials.models import Official
from app.templating import addressing

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
ALLOWED_NAMES = frozenset({"official", "demands", "sender", "date"})
SAFE_FILTERS = frozenset({
    "capitalize", "d", "default", "first", "last", "join", "length", "count", "list", "lower",
    "upper", "title", "trim", "replace", "truncate", "wordwrap", "sort", "map", "selectattr",
    "rejectattr", "select", "reject", "int", "string", "striptags", "abs", "round", "reverse",
})  # fmt: skip
MAX_SEQUENCE = 10_000
MAX_OUTPUT = 100_000
MAX_LOOP_DEPTH = 2
PARTS = {"subject": "Objet", "body": "Corps"}
OF_PART = {"subject": "de l'objet", "body": "du corps"}


class LetterSandbox(ImmutableSandboxedEnvironment):
    """No globals, a short list of filters, and arithmetic that cannot exhaust memory."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**":
            if not all(isinstance(v, int | float) for v in (left, right)) or abs(right) > 64:
                raise SecurityError("puissance trop grande")
            return left**right
        sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
        counts = [v for v in (left, right) if isinstance(v, int)]
        if sizes and counts and sizes[0] * max(counts[0], 0) > MAX_SEQUENCE:
            raise SecurityError("répétition trop longue")
        return operator.mul(left, right)


def _environment() -> LetterSandbox:
    env = LetterSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()
    env.filters = {name: f for name, f in env.filters.items() if name in SAFE_FILTERS}
    return env


ENV = _environment()


def french_date(day: date) -> str:
    """« 23 novembre 2026 », « 1er mai 2027 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def official_view(official: Official) -> dict[str, Any]:
    """What a template may know of an official, forms of address included."""
    kind, civility = official.kind, official.civility
    return {
        "civility": civility,
        "first_name": official.first_name,
        "last_name": official.last_name,
        "full_name": official.full_name,
        "kind": kind,
        "title": addressing.office_title(
            kind=kind,
            civility=civility,
            department_code=official.department_code,
            department_name=official.department_name,
            circonscription=official.circonscription,
            portfolio=official.portfolio,
        ),
        "group": official.group_name,
        "group_code": official.group_code,
        "department": official.department_name,
        "department_code": official.department_code,
        "circonscription": official.circonscription,
        "portfolio": official.portfolio,
        "salutation": addressing.salutation(kind, civility),
        "closing": addressing.closing(kind, civility),
    }


def sample_official() -> Official:
    """A made-up deputy used to dry-run a template before it is saved."""
    return Official(
        kind="deputy",
        civility="Mme",
        first_name="Camille",
        last_name="Exemple",
        group_name="Groupe d'exemple",
        group_code="EX",
        department_code="69",
        department_name="Rhône",
        circonscription=3,
        portfolio="",
    )


SAMPLE_DEMANDS = [
    {"number": n, "title": f"Demande {n}", "text": f"Texte de la demande {n}."}
    for n in (1, 2, 3, 4)
]
SAMPLE_SENDER = {"name": "Prénom Nom", "organisation": "L'association"}


def build_context(
    *,
    official: Mapping[str, Any],
    demands: Sequence[Mapping[str, Any]],
    sender: Mapping[str, str],
    day: date,
) -> dict[str, Any]:
    """The whole of what a template can reach."""
    return {"official": official, "demands": demands, "sender": sender, "date": french_date(day)}


@dataclass(frozen=True)
class TemplateProblem:
    part: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"Ligne {self.line} {OF_PART[self.part]}" if self.line else PARTS[self.part]
        return f"{where} : {self.message}"


class TemplateInvalid(Invalid):
    """A template that cannot be rendered; says where and why."""

    def __init__(self, problem: TemplateProblem) -> None:
        super().__init__(f"Modèle invalide. {problem}", field=problem.part)
        self.problem = problem


def _template_line(tb: TracebackType | None) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _explain(exc: Exception) -> str:
    text = str(exc)
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


def _static_problems(part: str, source: str) -> Iterator[TemplateProblem]:
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
    unknown = meta.find_undeclared_variables(tree) - ALLOWED_NAMES
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name in unknown:
            unknown.discard(name.name)
            yield TemplateProblem(part, name.lineno, f"la variable « {name.name} » n'existe pas.")
    if _loop_depth(tree) > MAX_LOOP_DEPTH:
        yield TemplateProblem(part, None, f"plus de {MAX_LOOP_DEPTH} boucles imbriquées.")


@dataclass(frozen=True)
class CompiledLetter:
    """A template compiled once, rendered for many officials."""

    subject: JinjaTemplate
    body: JinjaTemplate

    def render(self, context: Mapping[str, Any]) -> tuple[str, str]:
        """Subject and body for one context; Invalid (with the line) on any template error."""
        subject = _render("subject", self.subject.render, context).strip()
        if "\n" in subject or "\r" in subject:
            raise TemplateInvalid(
                TemplateProblem("subject", None, "l'objet rendu doit tenir sur une seule ligne.")
            )
        return subject, _render("body", self.body.render, context)


def _render(part: str, render: Callable[..., str], context: Mapping[str, Any]) -> str:
    try:
        text = render(context)
    except Exception as exc:  # any failure of staff-written code is theirs to fix
        problem = TemplateProblem(part, _template_line(exc.__traceback__), _explain(exc))
        raise TemplateInvalid(problem) from None
    if len(text) > MAX_OUTPUT:
        raise TemplateInvalid(TemplateProblem(part, None, "le texte rendu est trop long."))
    return text


def template_problems(subject: str, body: str) -> list[TemplateProblem]:
    """Syntax errors, unknown variables and forbidden code, with their lines; [] when usable."""
    problems = [*_static_problems("subject", subject), *_static_problems("body", body)]
    if problems:
        return problems
    context = build_context(
        official=official_view(sample_official()),
        demands=SAMPLE_DEMANDS,
        sender=SAMPLE_SENDER,
        day=date(2026, 11, 23),
    )
    try:
        compile_letter(subject, body).render(context)
    except TemplateInvalid as exc:
        return [exc.problem]
    return []


def validate_template(subject: str, body: str) -> None:
    """Raises Invalid listing every problem before anything is saved or generated."""
    problems = template_problems(subject, body)
    if problems:
        raise Invalid(
            "Modèle invalide. " + " ".join(str(p) for p in problems), field=problems[0].part
        )


def compile_letter(subject: str, body: str) -> CompiledLetter:
    """Compile subject and body once; a syntax error becomes Invalid with its line."""
    for part, source in (("subject", subject), ("body", body)):
        for problem in _static_problems(part, source):
            raise TemplateInvalid(problem)
    try:
        return CompiledLetter(subject=ENV.from_string(subject), body=ENV.from_string(body))
    except TemplateSyntaxError as exc:
        raise TemplateInvalid(
            TemplateProblem("body", exc.lineno, f"erreur de syntaxe ({exc.message}).")
        ) from None
