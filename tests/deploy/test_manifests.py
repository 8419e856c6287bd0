"""The Kubernetes manifests under deploy/ are valid for Kubernetes (strict schema
validation, offline, with the schemas `kubernetes-validate` ships), every kustomization
points at files and resources that exist, and the deployment runs every process type of
the Procfile with the probes and replicas the topology promises."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from bot.platform.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
KUBERNETES = "1.30.0"  # the oldest release still supported by the cloud providers


def kustomization(folder: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((folder / "kustomization.yaml").read_text())
    return loaded


def resources(folder: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every object a kustomization builds from files, its bases and components first."""
    spec = kustomization(folder)
    for entry in [*spec.get("resources", []), *spec.get("components", [])]:
        path = (folder / entry).resolve()
        assert path.exists(), f"{folder / 'kustomization.yaml'} lists {entry}, which is missing"
        if path.is_dir():
            yield from resources(path)
        else:
            for document in yaml.safe_load_all(path.read_text()):
                yield path, document


OVERLAYS = sorted(p.parent for p in (DEPLOY / "overlays").glob("*/kustomization.yaml"))


def test_there_is_an_example_overlay() -> None:
    assert [p.name for p in OVERLAYS] == ["example"]


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda p: p.name)
def test_every_object_is_valid_kubernetes(overlay: Path) -> None:
    for path, document in resources(overlay):
        try:
            kubernetes_validate.validate(document, KUBERNETES, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{path.relative_to(PROJECT_ROOT)}: {error.message} at {error.path}")


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda p: p.name)
def test_the_overlay_changes_only_what_the_base_has(overlay: Path) -> None:
    objects = {(d["kind"], d["metadata"]["name"]) for _, d in resources(overlay)}
    images = {
        container["image"]
        for _, d in resources(overlay)
        if d["kind"] in ("Deployment", "StatefulSet")
        for container in d["spec"]["template"]["spec"]["containers"]
    }
    spec = kustomization(overlay)
    for image in spec.get("images", []):
        assert image["name"] in images, f"no container uses the image {image['name']}"
    for replicas in spec.get("replicas", []):
        assert ("Deployment", replicas["name"]) in objects, replicas
    for patch in spec.get("patches", []):
        target = patch["target"]
        assert (target["kind"], target["name"]) in objects, target


def test_every_process_type_runs_with_its_probes() -> None:
    deployments = {
        d["metadata"]["name"]: d for _, d in resources(DEPLOY / "base") if d["kind"] == "Deployment"
    }
    procfile = [
        line.split(":", 1)[0]
        for line in (PROJECT_ROOT / "Procfile").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert sorted(deployments) == sorted(f"asb-{name}" for name in procfile)
    gateway = deployments["asb-gateway"]["spec"]["template"]["spec"]["containers"][0]
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for name, deployment in deployments.items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["resources"]["requests"], f"{name} requests no resources"
        sources = {next(iter(s)) for s in container.get("envFrom", [])}
        assert sources == {"configMapRef", "secretRef"}, f"{name} misses config or secrets"
    assert deployments["asb-emergency-worker"]["spec"]["replicas"] >= 2
