"""The deployment kit, checked against the schemas of its formats and against the code it runs.

- `deploy/k8s/`: every object validates against Kubernetes' own schemas (kubernetes-validate,
  strict: an unknown field is an error), the ServiceMonitor against the openAPIV3Schema of the
  Prometheus Operator's CRD (tests/data/servicemonitor-v1.schema.yaml, unknown fields refused as
  `kubectl apply` does); the kustomization names files that exist; Services, budgets and the
  ServiceMonitor select what the Deployments label, by ports that exist.
- `deploy/docker-compose.yml`: valid against the Compose Specification's JSON schema (the copy
  check-jsonschema ships); mounted files exist; the hosts in its settings are its services;
  Prometheus scrapes every router and the API.
- `Dockerfile`: python:3.11-slim, multi-stage, non-root, the release wheel installed (it carries
  the Avro schemas), nothing it copies excluded by `.dockerignore`.
- Everywhere, `docs/operations.md` included: each `grid-router` command line parses with the real
  command-line program, and each GRID_ variable is a setting or a bridge variable of the policy.
"""

from __future__ import annotations

import copy
import functools
import importlib.resources
import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import jsonschema  # type: ignore[import-untyped]
import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import typer
import yaml

from grid_router.entrypoints.cli import app as cli_app
from grid_router.policy.load import load_default_policy
from grid_router.settings import PROJECT_ROOT, Settings

ROOT = PROJECT_ROOT
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE = DEPLOY / "docker-compose.yml"
PROMETHEUS = DEPLOY / "prometheus" / "prometheus.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
RUNBOOK = ROOT / "docs" / "operations.md"
SERVICEMONITOR_SCHEMA = ROOT / "tests" / "data" / "servicemonitor-v1.schema.yaml"
SECRET_EXAMPLE = K8S / "secret.example.yaml"

# The Kubernetes version the manifests are checked against (kubernetes-validate ships schemas
# of 1.25 and later).
K8S_VERSION = "1.31"
# The image as the manifests name it; kustomization.yaml's `images:` maps it to the registry.
IMAGE = "grid-router"
# The long-running commands that serve metrics on GRID_METRICS_PORT.
METRICS_COMMANDS = frozenset({"run", "api"})

Doc = dict[str, Any]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def validation_errors(validator: Any, instance: Any) -> list[str]:
    return [
        f"{'.'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
        for e in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    ]


# --- the command-line program and the variables it reads -----------------------------------


@functools.cache
def cli_root() -> Any:
    """The program's command tree (typer's own click classes, which typer may vendor)."""
    return typer.main.get_command(cli_app)


def subcommands(command: Any) -> dict[str, Any]:
    return dict(getattr(command, "commands", None) or {})


def _walk(command: Any) -> Iterator[Any]:
    yield command
    for sub in subcommands(command).values():
        yield from _walk(sub)


def check_command_line(argv: Sequence[str]) -> None:
    """Fail unless `grid-router ARGV` names a real command with options and arguments it takes
    (parsed by the program's own commands; nothing runs)."""
    command = cli_root()
    words = list(argv)
    path = ["grid-router"]
    while subcommands(command) and words and not words[0].startswith("-"):
        name = words.pop(0)
        if name not in subcommands(command):
            pytest.fail(f"`{' '.join(path)}` has no command {name!r} (in `{' '.join(argv)}`)")
        path.append(name)
        command = subcommands(command)[name]
    if "--help" in words:
        return
    if subcommands(command):
        pytest.fail(f"`{' '.join(path)}` needs a subcommand (in `{' '.join(argv)}`)")
    try:
        command.make_context(" ".join(path), words)
    except Exception as exc:  # the parser's usage errors (click's, or typer's vendored click)
        message = exc.format_message() if hasattr(exc, "format_message") else repr(exc)
        pytest.fail(f"`grid-router {' '.join(argv)}`: {message}")


@functools.cache
def known_variables() -> frozenset[str]:
    """GRID_ variables grid_router reads: its settings (env prefix GRID_), the URL and secret
    variables the policy's bridges name, and those the commands take options from."""
    settings = {f"GRID_{name.upper()}" for name in Settings.model_fields}
    bridges = {
        name
        for endpoint in load_default_policy().endpoints.values()
        for name in (endpoint.url_env, endpoint.secret_env)
    }
    options: set[str] = set()
    for command in _walk(cli_root()):
        for param in command.params:
            envvar = param.envvar
            options.update([envvar] if isinstance(envvar, str) else envvar or [])
    return frozenset(settings | bridges | options)


def assert_known_variables(names: Iterator[str] | Sequence[str], where: str) -> None:
    unknown = sorted(n for n in names if n.startswith("GRID_") and n not in known_variables())
    assert not unknown, f"{where} sets variables grid_router does not read: {unknown}"


def test_command_line_check_bites() -> None:
    check_command_line(["bridges", "serve-reference", "--host", "0.0.0.0", "--port", "18300"])
    check_command_line(["outbox", "retry", "12", "13"])
    for wrong in (["serve"], ["db", "migrate"], ["outbox", "retry", "twelve"], ["run", "--x"]):
        with pytest.raises(pytest.fail.Exception):
            check_command_line(wrong)
    assert "GRID_DATABASE_URL" in known_variables()
    assert "GRID_BRIDGE_HOTLINE_SECRET" in known_variables()
    assert "GRID_DATABASE" not in known_variables()


# --- Dockerfile --------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    found: list[tuple[str, str]] = []
    current = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        instruction, _, args = (current + line).partition(" ")
        found.append((instruction.upper(), args.strip()))
        current = ""
    return found


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The instructions of each stage; stage 0 is what comes before the first FROM."""
    stages: list[list[tuple[str, str]]] = [[]]
    for instruction, args in dockerfile_instructions():
        if instruction == "FROM":
            stages.append([])
        stages[-1].append((instruction, args))
    return stages


def stage_env(stage: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction, args in stage:
        if instruction == "ENV":
            for word in shlex.split(args):
                name, _, value = word.partition("=")
                env[name] = value
    return env


def stage_workdir(stage: list[tuple[str, str]]) -> PurePosixPath:
    workdirs = [PurePosixPath(args) for instruction, args in stage if instruction == "WORKDIR"]
    return workdirs[-1] if workdirs else PurePosixPath("/")


def stage_copies(stage: list[tuple[str, str]]) -> list[tuple[list[str], str]]:
    """(sources, destination) of each COPY from the build context (not `--from=`)."""
    copies = []
    for instruction, args in stage:
        if instruction != "COPY":
            continue
        words = shlex.split(args)
        if any(w.startswith("--from") for w in words):
            continue
        words = [w for w in words if not w.startswith("--")]
        copies.append((words[:-1], words[-1]))
    return copies


def test_dockerfile_is_multistage_python_311_slim_and_non_root() -> None:
    stages = dockerfile_stages()
    args = {
        name: default
        for instruction, arg in stages[0]
        if instruction == "ARG"
        for name, _, default in [arg.partition("=")]
    }
    bases = []
    for stage in stages[1:]:
        base = stage[0][1].split()[0]
        for name, default in args.items():
            base = base.replace("${" + name + "}", default)
        bases.append(base)
    assert len(bases) >= 2, "a build stage and a slim runtime stage"
    assert set(bases) == {"python:3.11-slim"}, bases
    final = stages[-1]
    assert any(i == "COPY" and "--from=" in a for i, a in final), "runtime copies the build"
    users = [a for i, a in final if i == "USER"]
    assert users, "the runtime stage names its user"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}, f"runs as {users[-1]}"
    exposed = {p for i, a in final if i == "EXPOSE" for p in a.split()}
    assert {"8080", "9464"} <= exposed
    [entrypoint] = [json.loads(a) for i, a in final if i == "ENTRYPOINT"]
    assert entrypoint == ["grid-router"]
    [cmd] = [json.loads(a) for i, a in final if i == "CMD"]
    check_command_line(cmd)


def test_dockerfile_settings_and_the_checkout_paths_they_need() -> None:
    stages = dockerfile_stages()
    final = stages[-1]
    env = stage_env(final)
    assert_known_variables(list(env), "Dockerfile")
    # The runtime installs the release wheel, which carries the schemas and the broker's Maven
    # project (grid_router/shipped.py): nothing from the checkout, no path settings for them.
    assert stage_copies(final) == [], "the runtime stage copies only the build's venv"
    assert "GRID_SCHEMAS_DIR" not in env
    assert env.get("GRID_API_HOST") == "0.0.0.0", "the API must listen outside the container"
    # The build stage copies what `python -m build` reads: the wheel's readme and license, and
    # what setup.py ships inside the wheel.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    build_sources = {src for stage in stages[1:-1] for s, _ in stage_copies(stage) for src in s}
    assert {
        "pyproject.toml", "setup.py", "MANIFEST.in", project["readme"], *project["license-files"],
        "grid_router", "schemas", "deploy/kafka",
    } <= build_sources  # fmt: skip
    runs = " ".join(a for stage in stages[1:-1] for i, a in stage if i == "RUN")
    assert "python -m build --wheel" in runs
    assert "pip install /dist/grid_router-" in runs


def dockerignore_patterns() -> list[str]:
    lines = DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def dockerignored(path: str, patterns: Sequence[str]) -> bool:
    """Whether Docker leaves `path` (relative to the context) out: a pattern that matches the
    path or one of its parent directories excludes it; `!` patterns, later ones winning,
    bring it back."""
    parts = PurePosixPath(path).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        regex = _pattern_regex(pattern.lstrip("!").strip("/"))
        if any(regex.match(prefix) for prefix in prefixes):
            ignored = not negated
    return ignored


def test_dockerignore_keeps_local_state_out_and_what_the_image_needs_in() -> None:
    patterns = dockerignore_patterns()
    for local in (".git/HEAD", ".venv/bin/python", "grid_router.db", "grid_router/x/__pycache__"):
        assert dockerignored(local, patterns), f"{local} must not reach the build context"
    copied = [
        src for stage in dockerfile_stages()[1:] for sources, _ in stage_copies(stage)
        for src in sources
    ]  # fmt: skip
    for src in copied:
        path = ROOT / src
        assert path.exists(), f"the Dockerfile copies {src}, which is not in the checkout"
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for file in files:
            relative = file.relative_to(ROOT).as_posix()
            if "__pycache__" in file.parts:
                continue
            assert not dockerignored(relative, patterns), f".dockerignore drops {relative}"


# --- docker compose --------------------------------------------------------------------------


@functools.cache
def compose() -> Doc:
    doc = load_yaml(COMPOSE)
    assert isinstance(doc, dict)
    return doc


def services() -> dict[str, Doc]:
    return dict(compose()["services"])


def grid_services() -> dict[str, Doc]:
    """The services that run the grid_router image."""
    image = services()["migrate"]["image"]
    return {name: s for name, s in services().items() if s.get("image") == image}


def service_env(service: Doc) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return {str(k): str(v) for k, v in env.items()}


def bind_mounts(service: Doc) -> list[tuple[str, str]]:
    """(source relative to the compose file, target) of each bind mount."""
    mounts = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume.get("source", ""), volume["target"]
        if source.startswith((".", "/")):
            mounts.append((source, target))
    return mounts


@functools.cache
def compose_schema() -> Doc:
    vendored = importlib.resources.files("check_jsonschema") / "builtin_schemas" / "vendor"
    schema = json.loads((vendored / "compose-spec.json").read_text(encoding="utf-8"))
    assert isinstance(schema, dict)
    return schema


def test_compose_file_is_valid_against_the_compose_specification() -> None:
    schema = compose_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert validation_errors(validator, compose()) == []
    broken = copy.deepcopy(compose())
    broken["services"]["api"]["helthcheck"] = broken["services"]["api"].pop("healthcheck")
    assert validation_errors(validator, broken), "the schema refuses an unknown key"


def test_compose_grid_router_services_run_real_commands_with_real_settings() -> None:
    grid = grid_services()
    assert {"migrate", "topics", "router-1", "router-2", "api", "bridges"} <= set(grid)
    build = grid["migrate"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE
    commands = {}
    for name, service in grid.items():
        command = service["command"]
        assert isinstance(command, list), f"{name}: command as a list (the entrypoint's args)"
        check_command_line(command)
        commands[name] = command
        assert_known_variables(list(service_env(service)), f"compose service {name}")
    assert commands["migrate"] == ["db", "upgrade"]
    assert commands["topics"] == ["topics", "create"]
    assert commands["router-1"] == commands["router-2"] == ["run"]
    assert commands["api"] == ["api"]
    assert commands["bridges"][:2] == ["bridges", "serve-reference"]


def test_compose_settings_point_at_its_own_services() -> None:
    names = set(services())
    for name, service in grid_services().items():
        env = service_env(service)
        for bootstrap in env["GRID_KAFKA_BOOTSTRAP"].split(","):
            assert bootstrap.rpartition(":")[0] in names, f"{name}: {bootstrap}"
        urls = [v for k, v in env.items() if k == "GRID_DATABASE_URL" or k.endswith("_URL")]
        for url in urls:
            host = urlsplit(url).hostname
            assert host in names, f"{name}: {url} names no service of the compose file"
    bridges = grid_services()["bridges"]["command"]
    port = bridges[bridges.index("--port") + 1]
    for name, service in grid_services().items():
        for key, url in service_env(service).items():
            if key.startswith("GRID_BRIDGE_") and key.endswith("_URL"):
                assert urlsplit(url).port == int(port), f"{name}: {key}={url}"


def test_compose_start_order_and_health() -> None:
    all_services = services()
    for name, service in all_services.items():
        for dependency, spec in (service.get("depends_on") or {}).items():
            assert dependency in all_services, f"{name} depends on unknown {dependency}"
            if spec["condition"] == "service_healthy":
                assert "healthcheck" in all_services[dependency], f"{dependency} has no check"
    for name in ("migrate", "topics"):
        assert all_services[name]["restart"] == "no", f"{name} is a one-shot"
    for name, service in grid_services().items():
        if service["command"][0] not in METRICS_COMMANDS:
            continue
        depends = service["depends_on"]
        for one_shot in ("migrate", "topics"):
            assert depends[one_shot]["condition"] == "service_completed_successfully", name
        env = service_env(service)
        port = env["GRID_API_PORT"] if service["command"] == ["api"] else env["GRID_METRICS_PORT"]
        assert port in " ".join(service["healthcheck"]["test"]), f"{name}: check its own port"


def test_compose_mounts_exist() -> None:
    mounts = [(n, s, t) for n, service in services().items() for s, t in bind_mounts(service)]
    assert mounts
    for name, source, _ in mounts:
        assert (DEPLOY / source).exists(), f"{name} mounts {source}, missing from deploy/"
    targets = {(n, t): s for n, s, t in mounts}
    assert (
        targets[("prometheus", "/etc/prometheus/prometheus.yml")] == "./prometheus/prometheus.yml"
    )
    assert targets[("prometheus", "/etc/prometheus/rules")] == "./prometheus/rules"
    assert targets[("grafana", "/etc/grafana/provisioning")] == "./grafana/provisioning"
    assert targets[("grafana", "/var/lib/grafana/dashboards")] == "./grafana/dashboards"


def test_prometheus_scrapes_every_router_and_the_api() -> None:
    config = load_yaml(PROMETHEUS)
    assert config["global"]["scrape_interval"] == "15s"
    assert config["rule_files"] == ["/etc/prometheus/rules/*.yml"]
    [job] = [j for j in config["scrape_configs"] if j["job_name"] == "grid-router"]
    assert job.get("metrics_path", "/metrics") == "/metrics"
    targets = {t for group in job["static_configs"] for t in group["targets"]}
    expected = {
        f"{name}:{service_env(service)['GRID_METRICS_PORT']}"
        for name, service in grid_services().items()
        if service["command"][0] in METRICS_COMMANDS
    }
    assert targets == expected


# --- Kubernetes ------------------------------------------------------------------------------


@functools.cache
def kustomization() -> Doc:
    doc = load_yaml(K8S / "kustomization.yaml")
    assert isinstance(doc, dict)
    return doc


def k8s_documents() -> list[tuple[str, Doc]]:
    """(file, object) of every object the kustomization lists, and of the Secret template."""
    found: list[tuple[str, Doc]] = []
    for name in [*kustomization()["resources"], SECRET_EXAMPLE.name]:
        path = K8S / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            found.extend((name, doc) for doc in yaml.safe_load_all(text) if doc)
    return found


def objects(kind: str) -> dict[str, Doc]:
    return {d["metadata"]["name"]: d for _, d in k8s_documents() if d["kind"] == kind}


def workloads() -> dict[str, Doc]:
    """Deployments and Jobs by name, with their pod specs."""
    return {**objects("Deployment"), **objects("Job")}


def containers() -> Iterator[tuple[str, Doc, Doc]]:
    for name, workload in workloads().items():
        pod = workload["spec"]["template"]["spec"]
        for container in pod["containers"]:
            yield name, pod, container


def generators() -> dict[str, Doc]:
    return {g["name"]: g for g in kustomization()["configMapGenerator"]}


def generated_settings() -> dict[str, str]:
    [env] = [g for g in generators().values() if "literals" in g]
    return dict(literal.partition("=")[::2] for literal in env["literals"])


def secret_template() -> Doc:
    [secret] = [d for f, d in k8s_documents() if f == SECRET_EXAMPLE.name]
    return secret


def selects(selector: Doc, labels: dict[str, str]) -> bool:
    """Whether a label selector (matchLabels, matchExpressions with In) selects `labels`."""
    match = selector.get("matchLabels", selector if "matchExpressions" not in selector else {})
    if any(labels.get(k) != v for k, v in match.items()):
        return False
    for expression in selector.get("matchExpressions", []):
        assert expression["operator"] == "In", "only In is checked here"
        if labels.get(expression["key"]) not in expression["values"]:
            return False
    return True


def test_kustomization_lists_files_that_exist_and_every_manifest() -> None:
    listed = kustomization()["resources"]
    for name in listed:
        assert (K8S / name).is_file(), f"kustomization.yaml lists {name}, which does not exist"
    for generator in generators().values():
        for entry in generator.get("files", []):
            source = entry.partition("=")[2] or entry
            assert (K8S / source).is_file(), f"{generator['name']}: {source} does not exist"
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", SECRET_EXAMPLE.name}
    assert on_disk == set(listed), "every manifest is in the kustomization (the Secret is not)"
    assert SECRET_EXAMPLE.name not in listed, "real secrets never come from the repository"
    images = {i["name"]: i for i in kustomization()["images"]}
    assert {"newName", "newTag"} <= set(images[IMAGE])
    assert kustomization()["namespace"] == "grid-router"
    assert set(objects("Namespace")) == {"grid-router"}


def _k8s_cases() -> list[Any]:
    return [
        pytest.param(doc, id=f"{file}:{doc['kind']}/{doc['metadata']['name']}")
        for file, doc in k8s_documents()
        if doc["kind"] != "ServiceMonitor"
    ]


@pytest.mark.parametrize("doc", _k8s_cases())
def test_k8s_object_is_valid_for_kubernetes(doc: Doc) -> None:
    try:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        where = ".".join(str(p) for p in exc.path)
        pytest.fail(f"{doc['kind']}/{doc['metadata']['name']}: {where}: {exc.message}")


def test_kubernetes_validate_refuses_a_typo() -> None:
    router = copy.deepcopy(objects("Deployment")["router"])
    router["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(router, K8S_VERSION, strict=True)


def _forbid_unknown_fields(schema: Any) -> Any:
    """Refuse properties a structural schema does not name, as `kubectl apply` does with its
    default strict field validation (the API server would otherwise drop them silently)."""
    if isinstance(schema, dict):
        schema = {k: _forbid_unknown_fields(v) for k, v in schema.items()}
        if (
            "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_forbid_unknown_fields(v) for v in schema]
    return schema


@functools.cache
def servicemonitor_validator() -> Any:
    return jsonschema.Draft4Validator(_forbid_unknown_fields(load_yaml(SERVICEMONITOR_SCHEMA)))


def test_servicemonitor_is_valid_against_the_crd_schema() -> None:
    [monitor] = objects("ServiceMonitor").values()
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert validation_errors(servicemonitor_validator(), monitor) == []
    broken = copy.deepcopy(monitor)
    broken["spec"]["endpoints"][0]["intervall"] = "15s"
    broken["spec"]["endpoints"][0]["scheme"] = "tcp"
    assert len(validation_errors(servicemonitor_validator(), broken)) == 2


def test_servicemonitor_scrapes_the_router_and_api_metrics_ports() -> None:
    [monitor] = objects("ServiceMonitor").values()
    spec = monitor["spec"]
    chosen = {
        name: svc
        for name, svc in objects("Service").items()
        if selects(spec["selector"], svc["metadata"]["labels"])
    }
    assert set(chosen) == {"router-metrics", "api"}
    for endpoint in spec["endpoints"]:
        assert endpoint["path"] == "/metrics"
        for name, svc in chosen.items():
            ports = {p["name"]: p for p in svc["spec"]["ports"]}
            assert endpoint["port"] in ports, f"service {name} has no port {endpoint['port']}"
            assert ports[endpoint["port"]]["port"] == int(generated_settings()["GRID_METRICS_PORT"])


def test_services_and_budgets_select_pods_by_ports_that_exist() -> None:
    deployments = objects("Deployment")
    for name, deployment in deployments.items():
        spec = deployment["spec"]
        assert selects(spec["selector"], spec["template"]["metadata"]["labels"]), name
    for name, svc in objects("Service").items():
        [target] = [
            d for d in deployments.values()
            if selects(svc["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"])
        ]  # fmt: skip
        ports = {
            p["name"] for c in target["spec"]["template"]["spec"]["containers"] for p in c["ports"]
        }
        for port in svc["spec"]["ports"]:
            assert port["targetPort"] in ports, f"service {name}: no container port {port}"
    budgets = objects("PodDisruptionBudget")
    for name, budget in budgets.items():
        assert any(
            selects(budget["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"])
            for d in deployments.values()
        ), f"budget {name} selects no pods"
    assert len(budgets) == len(deployments)


def test_k8s_containers_run_real_commands_with_real_settings() -> None:
    assert_known_variables(list(generated_settings()), "the grid-router-env ConfigMap")
    assert_known_variables(list(secret_template()["stringData"]), SECRET_EXAMPLE.name)
    seen = {}
    for name, _, container in containers():
        assert container["image"] == IMAGE, f"{name}: image {container['image']}"
        assert "command" not in container, f"{name}: the image's entrypoint is grid-router"
        check_command_line(container["args"])
        seen[name] = container["args"]
        assert_known_variables([e["name"] for e in container.get("env", [])], name)
    assert seen == {"router": ["run"], "api": ["api"], "migrate": ["db", "upgrade"]}


def test_k8s_references_to_configmaps_secrets_and_volumes_resolve() -> None:
    secret = secret_template()
    claims = set(objects("PersistentVolumeClaim"))
    for name, pod, container in containers():
        account = pod.get("serviceAccountName")
        assert account is None or account in objects("ServiceAccount"), name
        assert pod["automountServiceAccountToken"] is False, f"{name}: no API token needed"
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                assert source["configMapRef"]["name"] in generators(), name
            else:
                assert source["secretRef"]["name"] == secret["metadata"]["name"], name
        for env in container.get("env", []):
            ref = env.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["name"] == secret["metadata"]["name"], name
                assert ref["key"] in secret["stringData"], f"{name}: no key {ref['key']}"
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for mount in container.get("volumeMounts", []):
            volume = volumes[mount["name"]]
            if "configMap" in volume:
                assert volume["configMap"]["name"] in generators(), name
            if "persistentVolumeClaim" in volume:
                assert volume["persistentVolumeClaim"]["claimName"] in claims, name


def mounts_of(container: Doc, pod: Doc, kind: str) -> dict[str, Doc]:
    """mountPath → volume source of the container's mounts of one volume kind."""
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    return {
        m["mountPath"]: volumes[m["name"]][kind]
        for m in container.get("volumeMounts", [])
        if kind in volumes[m["name"]]
    }


def test_k8s_policy_photos_and_ports_match_the_settings() -> None:
    settings = generated_settings()
    policy = PurePosixPath(settings["GRID_POLICY"])
    [files] = [g["files"] for g in generators().values() if "files" in g]
    keys = {entry.partition("=")[0] for entry in files}
    taxonomy = load_yaml(ROOT / "grid_router" / "policy" / "xiamen.yaml")["taxonomy"]
    assert {policy.name, taxonomy} <= keys, "the policy and the taxonomy it names, side by side"
    for name, pod, container in containers():
        if not container.get("envFrom"):
            continue
        configmaps = mounts_of(container, pod, "configMap")
        assert str(policy.parent) in configmaps, f"{name} does not mount the policy"
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert ports["metrics"] == int(settings["GRID_METRICS_PORT"]), name
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            check = container[probe]
            port = (check.get("httpGet") or check["tcpSocket"])["port"]
            assert port in ports, f"{name} {probe}: no port {port}"
        if container["args"] == ["api"]:
            assert ports["http"] == int(settings["GRID_API_PORT"])
            assert settings["GRID_PHOTO_DIR"] in mounts_of(container, pod, "persistentVolumeClaim")
        else:
            assert container["livenessProbe"]["httpGet"]["path"] == "/metrics"


def test_k8s_pods_run_as_the_image_user_without_privileges() -> None:
    uid = next(a for i, a in reversed(dockerfile_stages()[-1]) if i == "USER").split(":")[0]
    for name, pod, container in containers():
        security = pod["securityContext"]
        assert security["runAsNonRoot"] is True, name
        assert str(security["runAsUser"]) == uid, f"{name} runs as another user than the image"
        own = container["securityContext"]
        assert own["readOnlyRootFilesystem"] is True, name
        assert own["allowPrivilegeEscalation"] is False, name
        assert own["capabilities"]["drop"] == ["ALL"], name
        assert "/tmp" in {m["mountPath"] for m in container["volumeMounts"]}, name
        assert {"limits", "requests"} <= set(container["resources"]), name


def test_routers_do_not_outnumber_the_partitions() -> None:
    router = objects("Deployment")["router"]
    assert 1 < router["spec"]["replicas"] <= int(generated_settings()["GRID_PARTITIONS"])


def kustomize_command() -> list[str]:
    """`kubectl kustomize`, or the standalone `kustomize build` (.ci/run installs it into the
    virtual environment when the machine has neither)."""
    if kubectl := shutil.which("kubectl"):
        return [kubectl, "kustomize"]
    venv_bin = str(Path(sys.executable).parent)
    if kustomize := shutil.which("kustomize") or shutil.which("kustomize", path=venv_bin):
        return [kustomize, "build"]
    pytest.fail(
        "neither kubectl nor kustomize is installed: run .ci/run, or `GOBIN=.venv/bin go install "
        "sigs.k8s.io/kustomize/kustomize/v5@v5.7.1`"
    )


def test_kustomize_builds_with_hashed_configmaps_and_the_registry_image() -> None:
    built = subprocess.run(
        [*kustomize_command(), "--load-restrictor", "LoadRestrictionsNone", str(K8S)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    docs = [d for d in yaml.safe_load_all(built.stdout) if d]
    configmaps = {d["metadata"]["name"] for d in docs if d["kind"] == "ConfigMap"}
    assert all(re.fullmatch(r"grid-router-(policy|env)-[a-z0-9]{10}", n) for n in configmaps)
    image = kustomization()["images"][0]
    for doc in docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "grid-router", doc["metadata"]["name"]
        if doc["kind"] in {"Deployment", "Job"}:
            pod = doc["spec"]["template"]["spec"]
            for container in pod["containers"]:
                assert container["image"] == f"{image['newName']}:{image['newTag']}"
                for source in container.get("envFrom", []):
                    if "configMapRef" in source:
                        assert source["configMapRef"]["name"] in configmaps
            for volume in pod.get("volumes", []):
                if "configMap" in volume:
                    assert volume["configMap"]["name"] in configmaps


# --- the runbook -------------------------------------------------------------------------------

_SEPARATORS = frozenset({"|", "||", "&&", ";", "&", "(", ")", "<", ">", ">>", "do", "then"})
_COMPOSE_RUN_VALUE_OPTIONS = frozenset(
    {"-v", "--volume", "-e", "--env", "-w", "--workdir", "--name", "-u", "--user", "-l"}
)


def runbook_command_lines() -> list[list[str]]:
    """The shell lines of the runbook's ```sh blocks, split into words, continuations joined."""
    lines: list[list[str]] = []
    for block in re.findall(r"```sh\n(.*?)```", RUNBOOK.read_text(encoding="utf-8"), re.S):
        for line in block.replace("\\\n", " ").splitlines():
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            lines.append(list(lexer))
    return lines


def grid_router_invocations(words: list[str]) -> Iterator[tuple[list[str], list[str]]]:
    """(variables set before it, arguments) of each `grid-router` run on one shell line:
    directly, in the compose file's `cli` service, or through `kubectl exec … --`."""
    segment: list[str] = []
    for word in [*words, ";"]:
        if word in _SEPARATORS or (word == "--" and segment[:1] == ["kubectl"]):
            yield from _invocation(segment)
            segment = []
        else:
            segment.append(word)


def _invocation(segment: list[str]) -> Iterator[tuple[list[str], list[str]]]:
    assignments = []
    while segment and re.match(r"^[A-Z_][A-Z0-9_]*=", segment[0]):
        assignments.append(segment.pop(0).partition("=")[0])
    if not segment:
        return
    if segment[0] == "grid-router" or segment[0].endswith("/grid-router"):
        yield assignments, segment[1:]
    elif segment[:2] == ["docker", "compose"] and "run" in segment:
        rest = segment[segment.index("run") + 1 :]
        while rest and rest[0].startswith("-"):
            rest = rest[2:] if rest[0] in _COMPOSE_RUN_VALUE_OPTIONS else rest[1:]
        service = rest[0]
        assert service in services(), f"the runbook runs unknown compose service {service}"
        if service in grid_services():
            yield assignments, rest[1:]


def test_runbook_commands_exist() -> None:
    lines = runbook_command_lines()
    invocations = [call for words in lines for call in grid_router_invocations(words)]
    assert len(invocations) >= 20, "the runbook's commands were not found"
    for variables, argv in invocations:
        assert_known_variables(variables, "docs/operations.md")
        check_command_line(argv)
    for words in lines:
        for before, word in zip(["", *words], words, strict=False):
            if before in {"exec", "logs"}:
                continue  # kubectl's deploy/NAME is a Deployment, not a path
            if word.startswith(("deploy/", "docs/", "grid_router/", "schemas/")):
                assert (ROOT / word).exists(), f"the runbook names {word}, which does not exist"
