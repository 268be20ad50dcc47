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
# JupyterLab's settings for the kit (in French, no news, no update check) and axe-core (npm) for
# the accessibility checks of the browser tests.
OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
AXE := $(VENV)/node/node_modules/axe-core/axe.min.js

CHP := $(VENV)/node/node_modules/.bin/configurable-http-proxy

.PHONY: lab app test install nbgrader chromium hub-proxy axe bench notebooks clean

install: $(STAMP) $(OVERRIDES)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installation de la trousse et de ses dépendances dans $(VENV) (environ une minute)..."
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	@# An editable install leaves the kit's own modules uncompiled; where PYTHONDONTWRITEBYTECODE
	@# is set (hubs, CI), every command would compile them again (about 0.1 s). Python checks each
	@# .pyc against its source, so an edited module is simply compiled in memory until the next install.
	@$(BIN)/python -m compileall -q ockit
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

# JupyterLab in French (language pack jupyterlab-language-pack-fr-FR, a dependency of the kit).
$(OVERRIDES): Makefile $(STAMP)
	@mkdir -p $(dir $@)
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false},' \
		'"@jupyterlab/translation-extension:plugin": {"locale": "fr_FR"}}' > $@

lab: $(STAMP) $(OVERRIDES)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.port_retries=0 \
		$(ROOT_FLAG) $(LAB_ARGS) notebooks/00_prise_en_main.ipynb

# The course as an app with no code (Voilà), on 127.0.0.1:8866 (make app PORT=N to change it).
app: $(STAMP)
	$(BIN)/voila app/parcours.ipynb --Voila.ip=127.0.0.1 --port=$(APP_PORT) --no-browser \
		--show_tracebacks=False $(APP_ARGS)

chromium:
	@bash tools/ensure-chromium.sh

# JupyterHub's proxy, from npm, for the end-to-end hub test (tests/hub/) and bench_hub.py.
hub-proxy: $(CHP)

$(CHP): $(STAMP)
	@echo "Installation de configurable-http-proxy (npm) dans $(VENV)/node..."
	@npm install --prefix $(VENV)/node --no-audit --no-fund --silent configurable-http-proxy@5
	@test -x $(CHP)

axe: $(AXE)

$(AXE): | $(STAMP)
	@echo "Installation d'axe-core (npm) dans $(VENV)/node pour les tests d'accessibilité..."
	@npm install --prefix $(VENV)/node --no-audit --no-fund --silent axe-core@4
	@test -f $(AXE)

# Two pytest-xdist workers (the machines have two cores); --dist loadfile keeps each file, and
# each notebook (nbval runs its cells in order in one kernel), whole on one worker.
TEST_WORKERS ?= 2
test: $(STAMP) $(OVERRIDES) $(NBGRADER_STAMP) chromium $(CHP) $(AXE)
	$(BIN)/ockit validate
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile tests notebooks exercises solutions \
		--nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-current-env -p no:cacheprovider

# Re-execute the course notebooks in place (their outputs are what nbval checks), with a
# throwaway progress file so no one's answers end up in them.
NOTEBOOKS ?= notebooks/*.ipynb
notebooks: $(STAMP)
	OCKIT_PROGRESS=$$(mktemp -d)/progress.json $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=300 $(NOTEBOOKS)

bench: $(STAMP) $(CHP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) $(NBGRADER_VENV)
