"""The service layer: the router, the outbox relay and (later) the SLA timers."""
