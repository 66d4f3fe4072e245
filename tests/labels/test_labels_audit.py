"""The audit journal reads in French: every action the app records has its label."""

import ast
from pathlib import Path

from app.labels import AUDIT_ACTION

APP = Path(__file__).resolve().parents[2] / "app"


def recorded_actions() -> set[str]:
    """Every literal `action="…"` passed to a call in app/."""
    found: set[str] = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    value = keyword.value
                    if keyword.arg == "action" and isinstance(value, ast.Constant):
                        found.add(str(value.value))
    return found


def test_every_recorded_action_has_a_french_label() -> None:
    actions = recorded_actions()
    assert {"login", "totp_reset", "organisation.update"} <= actions  # the walk finds them
    assert sorted(actions - set(AUDIT_ACTION)) == []
