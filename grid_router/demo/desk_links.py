"""One-click sign-in links to the desk for the demo: a dispatcher of a busy unit, a verifier and
the city supervisor, with tokens made for the run (the link carries the token in its fragment,
which the browser never sends to the server; the sign-in page submits it)."""

from __future__ import annotations

from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.domain.org import Unit


def desk_links(store: SqlTokenStore, api_url: str, busy: Unit, city: Unit) -> list[str]:
    """Lines for the console: the desk's address and one sign-in link per demo person."""
    people = (
        (f"{busy.name} 派遣员", "dispatcher", busy.code),
        (f"{city.name} 核查员", "verifier", city.code),
        (f"{city.name} 城市运行监督员", "operator", None),
    )
    lines = [f"   desk (调度台): {api_url}/desk/  ·  resident status: {api_url}/status/<event id>"]
    for name, role, unit in people:
        _, token = store.create(f"demo {name}", role, unit, (), 100_000)
        lines.append(f"   sign in as {name}: {api_url}/desk/signin#token={token}")
    return lines
