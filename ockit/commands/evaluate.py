"""`ockit evaluate`: the suggester beside a naive-Bayes baseline, on cases it never learned from:
leave-one-out on the kit's cases, cross-writer validation on the training sets, and every blind
set of data/evaluation/."""

from pathlib import Path

NAME = "evaluate"
HELP = ("évaluer l'outil de suggestion sur des cas qu'il n'a jamais appris : un cas laissé de côté, "
        "validation par rédacteur et ensembles à l'aveugle, à côté d'un classifieur bayésien naïf")
ORDER = 45


def add_arguments(parser):
    from ..evaluation import EVALUATION_DIR

    parser.add_argument("--json", action="store_true", help="sortie en JSON")
    parser.add_argument("--blind", metavar="FICHIER", default=None,
                        help=f"un ensemble à l'aveugle à mesurer à la place de ceux de la trousse "
                             f"(par défaut : chaque fichier de {EVALUATION_DIR.parent.name}/{EVALUATION_DIR.name}/)")
    parser.add_argument("--no-blind", action="store_true", help="ne pas mesurer les ensembles à l'aveugle")


SETS = {"loo": "un cas laissé de côté (cas de la trousse)"}
BLIND = "aveugle:"  # results key prefix of a blind set, followed by its file's name (no suffix)


def _p(x) -> str:
    return "—" if x is None else f"{x:.3f}".replace(".", ",")


def table(results: dict, axes, approaches) -> str:
    """Return the French tables: one row per set, the suggester beside the baseline, then the
    recall of each code and the approach confusion matrices."""
    names = list(results)

    def grid(header, rows) -> list[str]:
        widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
        return ["  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths)))
                for r in [header] + rows]

    def pair(m, n) -> list[str]:
        return [_p(m.micro_f1), _p(n.micro_f1), _p(m.exact_set), _p(n.exact_set),
                _p(m.approach_accuracy), _p(n.approach_accuracy)]

    head = ["jeu de cas", "cas", "F1 axes", "(bayésien)", "axes exacts", "(bayésien)", "approche", "(bayésien)"]
    rows = [[_short(n), str(results[n]["suggester"].cases)]
            + pair(results[n]["suggester"], results[n]["naive_bayes"]) for n in names]
    out = ["Qualité de l'outil de suggestion sur des cas qu'il n'a jamais appris (entre parenthèses : le bayésien naïf) :", ""]
    out += grid(head, rows)
    codes = list(axes) + list(approaches)
    recall = [[_short(n)] + [_p(results[n]["suggester"].axis_recall[c]) for c in axes]
              + [_p(results[n]["suggester"].approach_recall[c]) for c in approaches] for n in names]
    out += ["", "Rappel par code (outil de suggestion) :", ""] + grid(["jeu de cas"] + codes, recall)
    for name in names:
        out += ["", f"Matrice de confusion des approches, {_long(name)} (lignes : clé; colonnes : outil de suggestion) :"]
        out += _confusion(results[name]["suggester"], approaches)
    out += ["", "Un cas laissé de côté : chaque cas de la trousse est prédit par un modèle appris sans lui.",
            "Autre plume : chaque ensemble d'entraînement (écrit par une autre plume) est prédit par "
            "un modèle appris sans aucun de ses textes. Les réglages de l'outil de suggestion ont été choisis sur "
            "ces lignes-là : elles ne mesurent donc plus la généralisation.",
            "À l'aveugle : des cas que l'entraînement ne lit jamais, prédits par le modèle livré.",
            "Le bayésien naïf apprend des résumés et des justifications des cas de la trousse seulement."]
    return "\n".join(out)


LABELLER_NAMES = {"suggester": "outil de suggestion", "writer": "rédaction", "annotator_1": "annotation 1",
                  "annotator_2": "annotation 2"}


def labeller_table(rows: dict) -> str:
    """The suggester beside the people who labelled: `rows` is {row name: the result of
    ockit.evaluation.labeller_agreement}. Each labeller serves as the reference in turn."""
    from ..training import LABELLERS

    columns = ["suggester", *LABELLERS]
    head = ["jeu de cas", "cas", "référence"] + [LABELLER_NAMES[c] for c in columns]
    body = []
    for name, agreement in rows.items():
        for ref in LABELLERS:
            row = agreement[ref]
            cells = ["—" if c == ref else f"{_p(row[c].micro_f1)} / {_p(row[c].exact_set)} / "
                     f"{_p(row[c].approach_accuracy)}" for c in columns]
            body.append([name, str(row["suggester"].cases), LABELLER_NAMES[ref]] + cells)
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    lines = ["  ".join(v.ljust(w) if i < 3 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths)))
             for r in [head] + body]
    return "\n".join([
        "L'outil de suggestion à côté des personnes qui ont étiqueté (F1 axes / axes exacts / approche) :",
        "chaque personne sert de référence à tour de rôle; la clé étant leur majorité, seule cette "
        "comparaison mesure l'outil de suggestion et une personne de la même façon.", ""] + lines)


def labeller_rows(sets: dict, held: dict, results: dict) -> dict:
    """Rows of labeller_table: the blind sets pooled and one by one, then the training sets
    pooled (each predicted without any text of its writer); only sets that keep every reading."""
    from ..evaluation import labeller_agreement, pooled

    def voted(examples):
        return any(e.votes for e in examples)

    blind = [(p.stem, examples, results[BLIND + p.stem]["suggester"].predictions)
             for p, examples in held.items() if voted(examples)]
    writers = [(n, examples, results[n]["suggester"].predictions)
               for n, examples in sets.items() if n in results and voted(examples)]
    rows = {}
    if len(blind) > 1:
        rows[f"à l'aveugle, {len(blind)} ensembles"] = labeller_agreement(*pooled(blind))
    for name, examples, predictions in blind:
        rows[_short(BLIND + name)] = labeller_agreement(examples, predictions)
    if writers:
        rows[f"autre plume, {len(writers)} ensembles"] = labeller_agreement(*pooled(writers))
    return {name: agreement for name, agreement in rows.items() if agreement}


def _short(name: str) -> str:
    if name.startswith(BLIND):
        return f"{name[len(BLIND):]} (aveugle)"
    return {"loo": "trousse (LOO)"}.get(name, f"{name} (autre plume)")


def _long(name: str) -> str:
    if name.startswith(BLIND):
        return f"ensemble à l'aveugle {name[len(BLIND):]}"
    return SETS.get(name, f"{name}, prédit sans aucun texte de sa plume")


def _confusion(m, approaches) -> list[str]:
    w = max(len(a) for a in approaches)
    lines = ["  " + " " * w + "  " + "  ".join(a.rjust(w) for a in approaches)]
    for a in approaches:
        lines.append("  " + a.ljust(w) + "  " + "  ".join(str(m.confusion[a][b]).rjust(w) for b in approaches))
    return lines


LOO_STAGE = "Un cas laissé de côté"
WRITER_STAGE = "Par rédacteur"


def duration(seconds: float) -> str:
    """A duration in French: « 40 s », « 1 min 30 s », « 1 h 05 min » (rounded to 5 s past a
    minute, to the minute past an hour)."""
    seconds = max(0, seconds)
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    if seconds < 3600:
        total = 5 * round(seconds / 5)
        minutes, rest = divmod(total, 60)
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d} min"


def time_left(elapsed: float, done: int, total: int) -> str | None:
    """« environ 1 min 30 s restantes », from the mean time of the `done` steps so far; None
    before the first step is done or once all are."""
    if done <= 0 or done >= total:
        return None
    return f"environ {duration(elapsed / done * (total - done))} restantes"


def progress_line(stage: str, done: int, total: int, elapsed: float, detail: str = "") -> str:
    """One progress line: « Un cas laissé de côté : 12/59, environ 1 min 30 s restantes »;
    `detail` (the next training set) goes after the count; once done, the time it took."""
    line = f"{stage} : {done}/{total}" + (f" ({detail})" if detail else "")
    left = time_left(elapsed, done, total)
    if left:
        return f"{line}, {left}"
    return f"{line}, terminé en {duration(elapsed)}" if done >= total else line


class Progress:
    """The progress of `ockit evaluate` on `stream` (stderr), one stage at a time.

    On a terminal each stage is one line, rewritten in place after each training, with the
    count and the time left. Elsewhere (a log, a pipe) lines are appended as they always were:
    every ten cases, and before each training set, now with the time left.
    """

    EVERY = 10

    def __init__(self, stream, *, live: bool | None = None, clock=None):
        import time

        self.stream = stream
        self.live = bool(getattr(stream, "isatty", lambda: False)()) if live is None else live
        self.clock = clock or time.monotonic
        self.stage, self.start, self.open = "", self.clock(), False

    def say(self, line: str) -> None:
        self._end_line()
        print(line, file=self.stream, flush=True)

    def begin(self, stage: str) -> None:
        self.stage, self.start = stage, self.clock()

    def cases(self, done: int, total: int) -> None:
        """leave_one_out's progress(done, total), called before each case; (total, total) at
        the end."""
        elapsed = self.clock() - self.start
        if self.live:
            self._draw(progress_line(self.stage, done, total, elapsed), done >= total)
        elif done and done % self.EVERY == 0 and done < total:
            left = time_left(elapsed, done, total)
            self.say(f"  {done} cas sur {total}" + (f", {left}" if left else "") + "…")

    def sets(self, name: str | None, done: int, total: int) -> None:
        """cross_writer's progress(name, done, total), called before each set; (None, total,
        total) at the end."""
        elapsed = self.clock() - self.start
        if self.live:
            self._draw(progress_line(self.stage, done, total, elapsed, name or ""), done >= total)
        elif name is not None:
            left = time_left(elapsed, done, total)
            self.say(f"  {done + 1}/{total} : {name}" + (f", {left}" if left else ""))

    def _draw(self, line: str, last: bool) -> None:
        self.stream.write("\r" + line + "\x1b[K" + ("\n" if last else ""))
        self.stream.flush()
        self.open = not last

    def _end_line(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.open = False


def run(args) -> int:
    import sys

    from ..evaluation import blind_files, cross_writer, held_out, leave_one_out, read_blind
    from ..training import TrainingDataError, read_examples, training_files
    from . import course_from, print_json

    course = course_from(args)
    if len(course.cases) < 2:
        print("Il faut au moins deux cas pour laisser un cas de côté.")
        return 1
    if args.blind and not Path(args.blind).is_file():
        print(f"Ensemble à l'aveugle introuvable : {args.blind}.", file=sys.stderr)
        return 1
    blinds = [] if args.no_blind else [Path(args.blind)] if args.blind else blind_files()
    files: dict[str, Path] = {}
    try:
        # Every file is read before the long work: a bad one is reported at once.
        held = {path: read_blind(path) for path in blinds}
        sets = {p.stem: read_examples(p, p.stem) for p in training_files()}
        # Progress on stderr (stdout stays the table or the JSON): the whole takes minutes.
        progress = Progress(sys.stderr)
        progress.say(f"{LOO_STAGE} : {len(course.cases)} modèles à entraîner, un par cas de la trousse…")
        progress.begin(LOO_STAGE)
        results = {"loo": leave_one_out(course, progress=progress.cases)}
        progress.cases(len(course.cases), len(course.cases))
        if sets:
            progress.say(f"{WRITER_STAGE} : {len(sets)} modèles, chacun appris sans un des ensembles…")
            progress.begin(WRITER_STAGE)
        results.update(cross_writer(sets, course=course, progress=progress.sets))
        if sets:
            progress.sets(None, len(sets), len(sets))
        for path, examples in held.items():
            progress.say(f"À l'aveugle : {path.name}")
            name = BLIND + path.stem
            results[name], files[name] = held_out(path, course, examples=examples), path
    except TrainingDataError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json:
        from ..evaluation import labeller_agreement

        out = {name: {k: m.to_dict() for k, m in r.items()} for name, r in results.items()}
        for name, path in files.items():
            out[name]["file"] = str(path)
        for name, examples in [*((BLIND + p.stem, e) for p, e in held.items()), *sets.items()]:
            agreement = labeller_agreement(examples, results[name]["suggester"].predictions)
            if agreement:
                out[name]["labellers"] = {ref: {who: m.to_dict() for who, m in row.items()}
                                          for ref, row in agreement.items()}
        print_json(out)
    else:
        print(table(results, list(course.axes), list(course.approaches)))
        rows = labeller_rows(sets, held, results)
        if rows:
            print()
            print(labeller_table(rows))
    return 0
