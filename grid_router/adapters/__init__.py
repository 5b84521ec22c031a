"""Adapters: everything that talks to Kafka, databases, HTTP endpoints or the file system."""
