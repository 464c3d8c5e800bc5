# Maillage — two commands on a fresh machine: `make serve` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
REGISTRY ?= registry
SITE_DIR ?= site
# The internal registry (a private repository): by default the fictional example.
INTERNAL ?= examples/internal-registry
INTERNAL_SITE_DIR ?= site-interne

.PHONY: help install browser serve site serve-internal site-internal test lint validate bench clean

help:
	@echo "make serve   construire le site à partir du registre et le servir sur http://127.0.0.1:$(PORT)/"
	@echo "make test    installer ce qu'il faut et lancer tous les tests"
	@echo "make serve-internal  site interne (registre public + registre interne $(INTERNAL)), sur 127.0.0.1 seulement"
	@echo "make validate  vérifier le registre (et le registre interne d'exemple)"
	@echo "make bench   mesurer les performances (registres synthétiques)"

# Needs Python ≥ 3.11 with its venv module (Debian/Ubuntu ship it apart: python3-venv, installed
# here when running as root). Everything else comes from PyPI into .venv/: no Node.js (the
# front-end libraries are vendored in docs/assets/vendor/), no browser download (the
# Playwright wheel carries its own driver; tests use Debian's /usr/bin/chromium).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "Maillage demande Python 3.11 ou plus : « $(PYTHON) » est absent ou trop ancien (make PYTHON=python3.12 …)." >&2; \
	  exit 2; }
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installation du module venv de Python (Debian)…"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      "python3-venv" "python$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv" >/dev/null \
	      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	  else \
	    echo "Le module venv de Python manque : installez le paquet python3-venv (Debian, Ubuntu)." >&2; exit 2; \
	  fi; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for browser tests (installed only when running as root and missing).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installation de chromium (Debian)…"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium absent : les tests navigateur seront ignorés (installez le paquet Debian chromium)."; \
	  fi; \
	fi

validate: $(STAMP)
	$(BIN)/maillage validate --registry $(REGISTRY) --internal $(INTERNAL)

site: $(STAMP)
	$(BIN)/maillage build --registry $(REGISTRY) --site-dir $(SITE_DIR)

serve: site
	@$(BIN)/python -m maillage.dev.serve --port $(PORT) --directory $(SITE_DIR)

# The internal site: never published, served on the loopback address only (maillage.dev.serve binds 127.0.0.1).
site-internal: $(STAMP)
	$(BIN)/maillage build --registry $(REGISTRY) --internal $(INTERNAL) --site-dir $(INTERNAL_SITE_DIR)

serve-internal: site-internal
	@$(BIN)/python -m maillage.dev.serve --port $(PORT) --directory $(INTERNAL_SITE_DIR)

lint: $(STAMP)
	$(BIN)/ruff check scripts tests

# The suite on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

test: $(STAMP) browser
	$(BIN)/ruff check scripts tests
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

bench: $(STAMP)
	$(BIN)/python -m maillage.dev.bench

clean:
	rm -rf $(SITE_DIR) $(INTERNAL_SITE_DIR) .pytest_cache .ruff_cache
