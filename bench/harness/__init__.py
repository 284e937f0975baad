"""The benchmark harness: databases, servers, load, and the report."""
