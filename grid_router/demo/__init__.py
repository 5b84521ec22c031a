"""`grid-router demo`: the city in a box (README, "make run").

- `city`: the simulated city, pure and seeded: grid workers' reports, 12345 tickets, 数字城管
  cases, the typhoon, and how dispatch centres, verifiers and callers act on what they hold;
- `traffic`: the actors at work against the running system (the HTTP API, the reference
  hotline and 数字城管 servers), each on a thread of its own;
- `view`: the live terminal view, the plain progress lines and the summary;
- `runner`: starting everything in order, running the drill, stopping everything in reverse.
"""
