"""What every `plaidoyer` sub-command shares: the consoles, fail(), import errors, groups."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from app.importing.errors import ImportFileError

console = Console(soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, *, code: int = 1) -> typer.Exit:
    """Prints « Erreur : message » on stderr; the caller raises the returned exit."""
    errors.print(f"[bold red]Erreur :[/] {message}")
    return typer.Exit(code=code)


@contextmanager
def reported_errors() -> Iterator[None]:
    """A bad file or download: « fichier:ligne:colonne: message » on stderr, exit code 1."""
    try:
        yield
    except ImportFileError as exc:
        errors.print(str(exc), markup=False)
        errors.print("Aucune modification n'a été enregistrée.")
        raise typer.Exit(code=1) from exc


def find_or_add_group(app: typer.Typer, name: str, help_text: str) -> typer.Typer:
    """The `name` sub-command group, shared between domains (e.g. `import geo`)."""
    for group in app.registered_groups:
        if group.name == name and group.typer_instance is not None:
            return group.typer_instance
    group_app = typer.Typer(help=help_text, no_args_is_help=True)
    app.add_typer(group_app, name=name)
    return group_app
