"""`grid-router model train|info`: the learned category model next to the policy
(docs/model-card.md). Training needs the `train` extra (scikit-learn); running does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from grid_router.exceptions import GridRouterError

model_app = typer.Typer(
    help="The learned category model: train it from the training reports, show its card.",
    no_args_is_help=True,
)

DEFAULT_TRAINING_DIR = Path("training")


@model_app.command("train")
def model_train(
    data: Annotated[
        list[Path] | None,
        typer.Option(help="training JSON-lines files (default: training/*.jsonl)"),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="artefact to write (default: the policy's `model`)")
    ] = None,
    version: Annotated[str, typer.Option(help="version written into the artefact")] = "1",
) -> None:
    """Fit, calibrate and save the category model; prints its card."""
    try:
        from grid_router.adapters.textmodel_train import train
    except ImportError as exc:
        raise GridRouterError(
            f"training needs scikit-learn ({exc.name} is missing): pip install 'grid-router[train]'"
        ) from exc
    from grid_router.adapters.org_data import load_default_organisation
    from grid_router.adapters.script import normalise_chinese
    from grid_router.domain.classify import Classifier
    from grid_router.policy.load import default_policy_path, model_paths
    from grid_router.policy.taxonomy import load_taxonomy
    from grid_router.settings import Settings

    policy = Settings().policy or default_policy_path()
    taxonomy_path, model_path = model_paths(policy)
    paths = data or sorted(DEFAULT_TRAINING_DIR.glob("*.jsonl"))
    if not paths:
        raise GridRouterError(f"no training files: none in {DEFAULT_TRAINING_DIR}/, and no --data")
    target = out or model_path
    if target is None:
        raise GridRouterError(f"the policy {policy} names no `model` file: give --out")
    org = load_default_organisation()
    lexicon = Classifier(
        load_taxonomy(taxonomy_path), [u.name for u in org], normalise=normalise_chinese()
    )
    model = train(paths, lexicon, taxonomy_path, version)
    model.save(target)
    typer.echo(json.dumps(model.card, ensure_ascii=False, indent=2))
    typer.echo(f"wrote {target}")


@model_app.command("info")
def model_info() -> None:
    """Show the card of the policy's model: data, figures, threshold."""
    from grid_router.adapters.textmodel import LinearTextModel
    from grid_router.bootstrap import App

    a = App()
    if a.policy.model_path is None:
        raise GridRouterError(f"the policy {a.policy.source} names no `model` file")
    model = LinearTextModel.load(a.policy.model_path)
    typer.echo(
        json.dumps(
            {"file": str(a.policy.model_path), "version": model.version, **model.card},
            ensure_ascii=False,
            indent=2,
        )
    )
