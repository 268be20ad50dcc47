"""`ockit hub-link`: print the nbgitpuller link that opens a course notebook on a JupyterHub.

The link has the form nbgitpuller documents (https://nbgitpuller.readthedocs.io/en/latest/link.html):
HUB/hub/user-redirect/git-pull?repo=REPO&targetpath=DIR&urlpath=lab/tree/DIR/NOTEBOOK&branch=B.
DIR is the folder nbgitpuller clones into, in the learner's home: the last part of the
repository's path, without `.git`. It is given explicitly as `targetpath` because nbgitpuller
1.3 would otherwise keep the `.git` (it takes `repo.split('/')[-1]`), and `urlpath` must name
the same folder. Every parameter is percent-encoded (RFC 3986), as the link generator of
nbgitpuller does, so the link survives being pasted in Moodle.
"""

from __future__ import annotations

import re
import sys
from urllib.parse import urlencode, quote, urlsplit

NAME = "hub-link"
HELP = "afficher le lien nbgitpuller qui ouvre un carnet du cours sur un JupyterHub"
ORDER = 80

HUB_SCHEMES = ("http", "https")
REPO_SCHEMES = ("http", "https", "file", "ssh", "git")
# git check-ref-format, in short: no space, no control character, none of ~^:?*[\ , no "..".
BAD_BRANCH = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|^[/.-]|[/.]$|\.lock$")


class LinkError(ValueError):
    """A URL or path that cannot make a link; the message is French and names the option."""


def repo_folder(repo: str) -> str:
    """The folder nbgitpuller clones `repo` into: the last path part, without `.git`."""
    name = urlsplit(repo).path.rstrip("/").rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".git") else name


def _check_url(option: str, url: str, schemes) -> None:
    parts = urlsplit(url)
    if parts.scheme not in schemes:
        raise LinkError(f"{option} « {url} » : il faut une adresse complète qui commence par "
                        f"{' ou '.join(s + '://' for s in schemes)}.")
    if parts.scheme != "file" and not parts.netloc:
        raise LinkError(f"{option} « {url} » : le nom du serveur manque après « {parts.scheme}:// ».")
    if any(c.isspace() for c in url):
        raise LinkError(f"{option} « {url} » : une adresse ne contient pas d'espace.")


def hub_link(hub: str, repo: str, branch: str | None = None, notebook: str | None = None,
             interface: str = "lab") -> str:
    """Return the nbgitpuller link for `repo` (and `notebook` in it) on the hub at `hub`.

    Raises:
        LinkError: a URL, a branch or a notebook path that is not valid (French message).
    """
    hub, repo = hub.strip(), repo.strip()
    _check_url("--hub", hub, HUB_SCHEMES)
    parts = urlsplit(hub)
    if parts.query or parts.fragment:
        raise LinkError(f"--hub « {hub} » : donnez l'adresse du hub seule, sans « ? » ni « # ».")
    _check_url("--repo", repo, REPO_SCHEMES)
    folder = repo_folder(repo)
    if not folder:
        raise LinkError(f"--repo « {repo} » : l'adresse ne nomme pas de dépôt (chemin vide).")
    params = {"repo": repo, "targetpath": folder}
    if notebook is not None:
        notebook = notebook.strip().replace("\\", "/")
        if not notebook or notebook.startswith("/") or ".." in notebook.split("/"):
            raise LinkError(f"--notebook « {notebook} » : il faut le chemin du carnet dans le dépôt, "
                            "relatif à sa racine (p. ex. notebooks/06_atelier_de_classification.ipynb).")
        params["urlpath"] = f"{interface}/tree/{folder}/{notebook}"
    else:
        params["urlpath"] = f"{interface}/tree/{folder}"
    if branch is not None:
        branch = branch.strip()
        if not branch or BAD_BRANCH.search(branch):
            raise LinkError(f"--branch « {branch} » : ce n'est pas un nom de branche git valide.")
        params["branch"] = branch
    base = hub.rstrip("/")
    return f"{base}/hub/user-redirect/git-pull?{urlencode(params, quote_via=quote, safe='')}"


def add_arguments(parser):
    parser.add_argument("--hub", required=True, metavar="URL",
                        help="adresse du JupyterHub (p. ex. https://hub.exemple.ca)")
    parser.add_argument("--repo", required=True, metavar="URL",
                        help="adresse du dépôt git du cours (p. ex. https://git.exemple.ca/cours.git)")
    parser.add_argument("--branch", metavar="BRANCHE",
                        help="branche à tirer (par défaut : celle du dépôt)")
    parser.add_argument("--notebook", metavar="CHEMIN",
                        help="carnet à ouvrir, relatif à la racine du dépôt "
                             "(p. ex. notebooks/06_atelier_de_classification.ipynb)")
    parser.add_argument("--json", action="store_true",
                        help="sortie en JSON (lien, dépôt, dossier, chemin ouvert, branche)")


def run(args) -> int:
    from . import print_json

    try:
        link = hub_link(args.hub, args.repo, args.branch, args.notebook)
    except LinkError as exc:
        print(f"Aucun lien produit. {exc}", file=sys.stderr)
        return 1
    if args.json:
        from urllib.parse import parse_qs

        query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
        print_json({"link": link, "repo": query["repo"], "folder": query["targetpath"],
                    "urlpath": query["urlpath"], "branch": query.get("branch")})
    else:
        print(link)
    return 0
