"""What the stance tests share besides fixtures."""

from app.audit.service import Actor

ACTOR = Actor.system("tests")
