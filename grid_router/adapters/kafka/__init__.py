"""Kafka: the local development broker, topic administration, producers and consumers."""
