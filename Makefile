# The two commands of the README: `make lab` opens the course, `make test` runs every test.
# Both create .venv and install the kit when it is missing or pyproject.toml changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.ockit-installed
# nbgrader lives in its own virtualenv: it pins jupyter-client<9 and notebook<8 and pulls
# alembic and SQLAlchemy, none of which the kit needs. The round-trip test drives its CLI.
NBGRADER_VENV := .venv-nbgrader
NBGRADER_STAMP := $(NBGRADER_VENV)/.nbgrader-installed
NBGRADER_SPEC := nbgrader>=0.9.6,<0.10
PORT ?= 8888
APP_PORT := $(if $(filter command line,$(origin PORT)),$(PORT),8866)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: lab app test install nbgrader chromium bench notebooks clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installation de la trousse et de ses dépendances dans $(VENV) (environ une minute)..."
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
		> $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $(STAMP)

nbgrader: $(NBGRADER_STAMP)

$(NBGRADER_STAMP):
	@test -x $(NBGRADER_VENV)/bin/python || $(PYTHON) -m venv $(NBGRADER_VENV)
	@echo "Installation de nbgrader dans $(NBGRADER_VENV), pour le test aller-retour (environ une minute)..."
	@$(NBGRADER_VENV)/bin/python -m pip install -q --disable-pip-version-check '$(NBGRADER_SPEC)'
	@# rfc3987-syntax (an optional format checker of jsonschema) builds a grammar at import:
	@# 3 s of CPU on every nbgrader command, for URI checks nbgrader never needs.
	@$(NBGRADER_VENV)/bin/python -m pip uninstall -q -y rfc3987-syntax
	@touch $(NBGRADER_STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.port_retries=0 \
		$(ROOT_FLAG) $(LAB_ARGS) notebooks/00_prise_en_main.ipynb

# The course as an app with no code (Voilà), on 127.0.0.1:8866 (make app PORT=N to change it).
app: $(STAMP)
	$(BIN)/voila app/parcours.ipynb --Voila.ip=127.0.0.1 --port=$(APP_PORT) --no-browser \
		--show_tracebacks=False $(APP_ARGS)

chromium:
	@bash tools/ensure-chromium.sh

test: $(STAMP) $(NBGRADER_STAMP) chromium
	$(BIN)/ockit validate
	$(BIN)/python -m pytest -q tests notebooks exercises solutions \
		--nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-current-env -p no:cacheprovider

# Re-execute the course notebooks in place (their outputs are what nbval checks), with a
# throwaway progress file so no one's answers end up in them.
NOTEBOOKS ?= notebooks/*.ipynb
notebooks: $(STAMP)
	OCKIT_PROGRESS=$$(mktemp -d)/progress.json $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=300 $(NOTEBOOKS)

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) $(NBGRADER_VENV)
