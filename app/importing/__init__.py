"""The importers' shared kit: bounded file reading, CSV and JSON readers, cell errors, downloads."""
