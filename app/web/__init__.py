"""The HTTP layer shared by every domain: dependencies, page rendering, error answers."""
