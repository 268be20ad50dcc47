"""Templates an instructor fills in: a new local case, commented in French.

`write_case_template(case_id, folder)` writes `<folder>/<case_id>.yaml`. The template is valid
YAML whose required texts are left empty on purpose: until they are filled in, `ockit validate
--extra DIR` names the file and each field still to write, so a forgotten template never slips
into a course as if it were a finished case. It is `label_provenance: constructed` and
`source: null` by default, since a case an instructor writes is a teaching vignette unless
they cite a source.
"""

from __future__ import annotations

from pathlib import Path

from .data import KEBAB, extra_folders
from .model import APPROACH_CODES, AXIS_CODES

DEFAULT_FOLDER = Path("cas-locaux") / "cases"

CASE_TEMPLATE = """\
# Cas local : {case_id}
# Gabarit produit par « ockit new-case ». Remplissez chaque champ, puis vérifiez avec :
#     ockit validate --extra DOSSIER      (DOSSIER : celui qui contient le sous-dossier cases/)
# Tant qu'un champ obligatoire est vide, « ockit validate » nomme ce fichier et le champ à remplir.
# Écrivez dans vos mots : ne recopiez pas de phrases d'un document.

# Identifiant du cas, en kebab-case (minuscules, chiffres, traits d'union). Il doit rester
# identique au nom du fichier ({case_id}.yaml).
id: {case_id}

# Titre court du cas, tel qu'il s'affichera dans les exercices.
title: ""

# Le territoire : quartier, ville, MRC ou région (facultatif).
territory: ""

# Résumé de 60 à 200 mots : le contexte et ce que l'OC (organisateur ou organisatrice
# communautaire) a fait. Ne nommez ni l'axe ni l'approche : c'est ce que les apprenant·es
# doivent trouver.
summary: >-

# Les axes de service du cadre du RQIIAC (2020) qui s'appliquent, du plus important au moins
# important. Codes : {axes}
#   DEV  : Développement des communautés locales
#   DSS  : Actions sur les déterminants sociaux de la santé
#   ORG  : Soutien aux organismes du milieu
#   RESP : Contribution à la responsabilité populationnelle des directions d'établissement
# Chaque axe retenu reçoit une justification d'au moins 15 mots : elle sert de rétroaction.
# Exemple (retirez le # pour l'utiliser) :
#   ORG: L'organisme demande de l'aide pour revoir ses règlements généraux et préparer son
#     assemblée; le soutien porte sur son fonctionnement interne.
axes:

# Facultatif : un axe tentant mais moins juste, et pourquoi (rétroaction pour qui le coche).
# not_axes:
#   DEV: ...

# L'approche dominante, ou null si le cas ne permet pas de trancher. Codes : {approaches}
# secondary : d'autres approches présentes (liste, peut rester vide).
# why : pourquoi cette approche domine (facultatif, mais recommandé).
approach:
  dominant: null
  secondary: []
  why: null

# Les actes professionnels posés par l'OC : identifiants de data/actes.yaml, par exemple
# [accompagner, mobiliser, etablir-des-liaisons]. Au moins un.
acts: []

# Facultatif : des thèmes pour filtrer les cas, en kebab-case (p. ex. [logement, aines]).
themes: []

# Qui a décidé des étiquettes ?
#   source      : les axes sont énoncés par un document source (remplir source ci-dessous)
#   inferred    : cas réel, étiquettes déduites par vous
#   constructed : vignette pédagogique inventée (alors source: null). Ne présentez jamais un
#                 cas inventé comme réel.
label_provenance: constructed

# D'où vient le récit ? Obligatoire si label_provenance vaut inferred :
#   source : le résumé reprend la source; illustration : la source ne fait que nommer
#   l'exemple et le scénario est le vôtre; mixed : un peu des deux.
# story: illustration

# Le document source d'un cas réel : doc (clé de data/sources.yaml), publisher, year, title.
# null pour une vignette inventée.
source: null

# Difficulté : 1 facile, 2 moyen, 3 difficile.
difficulty: 1

# Obligatoire si difficulty vaut 3 : où et pourquoi on hésite entre des axes.
# hesitation: >-
#   ...

# Facultatif : d'autres lectures défendables, notées comme la clé, chacune avec sa raison.
# also_accepted:
#   - axes: [DEV, RESP]
#     why: >-
#       ...

# Facultatif : les anciens identifiants du cas, s'il a été renommé (remises plus anciennes).
# former_ids: []
"""


class CaseTemplateError(ValueError):
    """A new-case request that cannot be honoured (bad id, file already there)."""


MAX_ID = 80  # characters: an id is a file name, and is shown in tables


def check_case_id(case_id) -> None:
    """Refuse an id that is not kebab-case of at most MAX_ID characters (fullmatch: no final newline).

    Raises:
        CaseTemplateError: with the French reason.
    """
    if not isinstance(case_id, str) or len(case_id) > MAX_ID or not KEBAB.fullmatch(case_id):
        from .safeio import display

        shown = display(str(case_id))
        shown = shown if len(shown) <= 60 else shown[:60] + "…"
        raise CaseTemplateError(
            f"Identifiant « {shown} » refusé : il faut du kebab-case (lettres minuscules sans "
            f"accents, chiffres, traits d'union; au plus {MAX_ID} caractères), p. ex. "
            "« cuisine-collective-limoilou ».")


def case_template(case_id: str) -> str:
    """Return the commented French YAML template for a new case `case_id`.

    Raises:
        CaseTemplateError: `case_id` is not kebab-case.
    """
    check_case_id(case_id)
    return CASE_TEMPLATE.format(case_id=case_id, axes=", ".join(AXIS_CODES),
                                approaches=", ".join(APPROACH_CODES))


def default_folder(extra=None) -> Path:
    """Return where new cases go: `<first extra folder>/cases`, else ./cas-locaux/cases.

    `extra` is the --extra list of a command; without it, $OCKIT_EXTRA_DATA is used.
    """
    extra = extra_folders(extra or None)
    return Path(extra[0]) / "cases" if extra else DEFAULT_FOLDER


def write_case_template(case_id: str, folder=None) -> Path:
    """Write the template to `<folder>/<case_id>.yaml` and return its path; never overwrites.

    Raises:
        CaseTemplateError: bad id, or the file already exists.
    """
    text = case_template(case_id)
    folder = Path(folder) if folder is not None else default_folder()
    path = folder / f"{case_id}.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": fail if it exists, atomically
            handle.write(text)
    except FileExistsError:
        raise CaseTemplateError(f"Le fichier {path} existe déjà : il n'a pas été modifié. "
                                "Choisissez un autre identifiant ou modifiez ce fichier.") from None
    return path
