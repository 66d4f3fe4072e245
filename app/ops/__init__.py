"""Running Plaidoyer in production: readiness, metrics, logs, copying and backing up the data."""
