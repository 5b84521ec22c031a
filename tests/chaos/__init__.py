"""The chaos drill (issue 15 §2): every real part of a deployment fails while reports and
actions flow, and nothing is lost or doubled. `drill` is the drill's core, shared by
`bench/chaos.py` (the long run) and the short run CI does (`tests/integration/test_chaos.py`);
`postgres` starts a private PostgreSQL cluster that can be stopped without touching anyone
else's."""
