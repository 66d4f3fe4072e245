"""What uvicorn serves: `uvicorn app.asgi:app`."""

from app.config import get_settings
from app.main import create_app
from app.ops.logs import configure_logging

configure_logging(get_settings())
app = create_app()
