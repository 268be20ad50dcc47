"""Retrain the suggester's model (data/model/suggester.json) on the kit's cases and data/training/.

Run after changing a case, data/cues.yaml, data/frames.yaml or a training set:

    .venv/bin/python tools/train_suggester.py           # rewrite the model file
    .venv/bin/python tools/train_suggester.py --check   # exit 1 if the model file is stale

Training never reads data/evaluation/ (the blind set): see ockit/training.py.
"""

from __future__ import annotations

import argparse
import sys

from ockit.training import MODEL_FILE, Settings, build_default, fingerprint, lexicon_files, load_model, save_model, training_examples


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="réentraîner le modèle de l'outil de suggestion")
    parser.add_argument("--check", action="store_true", help="vérifier que le modèle est à jour")
    args = parser.parse_args(argv)
    stored = load_model()
    settings = Settings()  # the code's settings are the truth; the file records them
    if args.check:
        current = fingerprint(training_examples(), settings, lexicon_files())
        if stored is None or stored.fingerprint != current:
            print(f"{MODEL_FILE} n'est pas à jour : lancez « python tools/train_suggester.py ».",
                  file=sys.stderr)
            return 1
        print(f"{MODEL_FILE} est à jour.")
        return 0
    model = build_default(settings=settings)
    save_model(model)
    print(f"Modèle écrit dans {MODEL_FILE} ({', '.join(f'{k} : {v}' for k, v in model.counts.items())} cas).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
