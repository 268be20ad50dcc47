"""deploy/: the Zero to JupyterHub values and the one-machine JupyterHub configuration.

No Kubernetes cluster here, so the chart is not run. Instead: every key path that
deploy/kubernetes/values.yaml sets must be one of the key paths listed in
deploy/kubernetes/z2jh-keys-4.4.0.yaml (written by hand from the chart's published values
schema, version 4.4.0), with a type that list allows.

deploy/jupyterhub/jupyterhub_config.py is run for real by tests/hub/ (its conftest.py loads it,
then replaces only paths and SystemdSpawner, for want of systemd). This file checks, in a
second, what that run cannot: the file loads with traitlets, and every option it sets on
JupyterHub's own classes and on NativeAuthenticator exists (SystemdSpawner's options are only
checked to be set: the spawner is not installed here).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
K8S = REPO / "deploy" / "kubernetes"
JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
              float: "number", type(None): "null"}


def key_list():
    return yaml.safe_load((K8S / "z2jh-keys-4.4.0.yaml").read_text(encoding="utf-8"))["keys"]


def lookup(keys, path: list[str]):
    """The spec of a key path, matching "*" entries by their pattern; None if not listed."""
    exact = ".".join(path)
    if exact in keys:
        return keys[exact]
    wild = ".".join([*path[:-1], "*"])
    spec = keys.get(wild)
    if spec and re.search(spec.get("pattern", ""), path[-1]):
        return spec
    return None


def problems(values, keys, path=()) -> list[str]:
    found = []
    for key, value in values.items():
        here = [*path, str(key)]
        spec = lookup(keys, here)
        name = ".".join(here)
        if spec is None:
            found.append(f"{name} : clé absente de la liste tirée du schéma")
            continue
        kind = JSON_TYPES[type(value)]
        allowed = spec.get("types")
        if "enum" in spec and value not in spec["enum"]:
            found.append(f"{name} : valeur {value!r} hors de {spec['enum']}")
        if allowed and kind not in allowed and not (kind == "integer" and "number" in allowed):
            found.append(f"{name} : type {kind}, attendu {allowed}")
        if isinstance(value, dict) and not spec.get("passthrough"):
            found += problems(value, keys, here)
    return found


def test_every_value_key_is_in_the_schema_list():
    values = yaml.safe_load((K8S / "values.yaml").read_text(encoding="utf-8"))
    assert not problems(values, key_list())


def test_the_check_catches_unknown_keys_and_wrong_types():
    """The check itself fails on a misspelt key, a wrong type and a value outside an enum."""
    bad = {"singleuser": {"memroy": {"limit": "1G"}, "cpu": {"limit": "un"},
                          "storage": {"type": "nfs"}}}
    found = problems(bad, key_list())
    assert len(found) == 3 and any("memroy" in p for p in found)


def test_values_set_the_handin_folder_and_the_culler():
    values = yaml.safe_load((K8S / "values.yaml").read_text(encoding="utf-8"))
    single = values["singleuser"]
    mount = single["extraEnv"]["OCKIT_HANDIN"]
    assert any(m["mountPath"] == mount for m in single["storage"]["extraVolumeMounts"])
    assert values["cull"]["enabled"] and values["cull"]["timeout"] > 0


def test_dockerfile_installs_the_wheel_and_nbgitpuller():
    text = (K8S / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM quay\.io/jupyter/", text, re.M)
    assert "ockit-" in text and ".whl" in text and "nbgitpuller" in text


def test_one_machine_config_loads_and_uses_known_options():
    """The config loads; every JupyterHub/Spawner/Authenticator/NativeAuthenticator option it sets exists."""
    import warnings

    from jupyterhub.app import JupyterHub
    from jupyterhub.auth import Authenticator
    from jupyterhub.spawner import Spawner
    from traitlets.config.loader import PyFileConfigLoader

    with warnings.catch_warnings():  # its vendored signing code calls a deprecated locale function
        warnings.simplefilter("ignore", DeprecationWarning)
        from nativeauthenticator import NativeAuthenticator

    path = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
    config = PyFileConfigLoader(path.name, str(path.parent)).load_config()
    for section, cls in (("JupyterHub", JupyterHub), ("Spawner", Spawner), ("Authenticator", Authenticator),
                         ("NativeAuthenticator", NativeAuthenticator)):
        unknown = set(config[section]) - set(cls.class_trait_names(config=True))
        assert not unknown, f"{section} : options inconnues {unknown}"
    assert config.Spawner.environment["OCKIT_HANDIN"] == "/srv/remises"
    assert any(s["name"] == "idle-culler" and "jupyterhub_idle_culler" in s["command"]
               for s in config.JupyterHub.services)
    assert "delete:servers" in config.JupyterHub.load_roles[0]["scopes"]
    assert config.SystemdSpawner.mem_limit and config.SystemdSpawner.cpu_limit
