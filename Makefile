# Dateline: the commands a newcomer and CI use. `make demo` runs the site, `make test` tests it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DATELINE_VAR_DIR ?= $(CURDIR)/var

TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/dateline

.PHONY: install demo prod test test-postgres lint format browser node visual-baselines bench clean messages

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test,postgres]"
	touch $@

demo: install
	DATELINE_DEMO=1 $(BIN)/dateline migrate --noinput
	DATELINE_DEMO=1 $(BIN)/dateline load-demo
	@# Static files with hashed names and their gzip and brotli copies (about a minute the first time).
	DATELINE_DEMO=1 $(BIN)/dateline collectstatic --noinput -v0
	@echo ""
	@echo "  Dateline is running at http://$(HOST):$(PORT)/"
	@echo "  The newsroom is at http://$(HOST):$(PORT)/admin/ (user: admin, password: dateline-demo)"
	@echo "  One user per role, same password: reporter, editor, photoeditor, moderator, administrator"
	@echo "  Mail the site sends is written to $(DATELINE_VAR_DIR)/mail/. Stop with Ctrl-C."
	@echo ""
	@# The scheduler publishes what is scheduled, the wire poller fetches the newsroom's
	@# sources and the newsletter sender mails digests at their time and breaking alerts,
	@# beside the web server; all stop with it.
	DATELINE_DEMO=1 $(BIN)/dateline run-scheduler & scheduler=$$!; \
	DATELINE_DEMO=1 $(BIN)/dateline poll-wire & poller=$$!; \
	DATELINE_DEMO=1 SITE_URL=http://$(HOST):$(PORT) $(BIN)/dateline send-newsletters --watch & mailer=$$!; \
	trap 'kill $$scheduler $$poller $$mailer 2>/dev/null' EXIT INT TERM; \
	DATELINE_DEMO=1 SITE_URL=http://$(HOST):$(PORT) $(BIN)/uvicorn dateline.config.asgi:application \
		--host $(HOST) --port $(PORT) --no-access-log

# The production tier on this machine (docs/operations.md): PostgreSQL and Redis (started
# where they do not answer), Pushpin, nginx with TLS in front of uvicorn workers, the
# scheduler, the wire poller and the newsletter sender; settings from the environment
# (DATABASE_URL, REDIS_URL, SECRET_KEY, HTTPS_PORT …). LOAD_DEMO=1 loads the demo content.
prod: install
	$(BIN)/python -m dateline.production $(if $(LOAD_DEMO),--load-demo)

# Debian's Chromium for the browser tests, exiftool for the photo metadata tests, Pushpin
# (with zurl and condure) for the live stream's production tier, nginx-light with its cache
# purge and brotli static modules, Redis and openssl for the production tier's smoke test,
# gettext for the catalogue test, wrk for the benchmarks' HTTP load, and Java and npm for the
# quality gates (`make node`); under CI=true (or as root) what is missing is installed.
browser:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v exiftool >/dev/null 2>&1 || missing="$$missing libimage-exiftool-perl"; \
	command -v pushpin >/dev/null 2>&1 || missing="$$missing pushpin"; \
	command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	[ -f /usr/lib/nginx/modules/ngx_http_cache_purge_module.so ] || \
		missing="$$missing libnginx-mod-http-cache-purge"; \
	[ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || \
		missing="$$missing libnginx-mod-http-brotli-static"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		if [ "$$CI" = "true" ] || [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "Missing:$$missing: the tests that need them will be skipped (apt-get install$$missing)."; \
		fi; \
	fi

# The quality gates' tools from npm, at the versions package-lock.json pins: axe-core and the Nu
# HTML checker (vnu-jar, run with the system's Java: its script that downloads a JDK is not run)
# for the tests, Lighthouse for `make bench`. Without npm the gates are skipped (failed under CI).
node: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	elif [ "$$CI" = "true" ]; then \
		echo "npm is missing: CI needs it for the accessibility and validity gates"; exit 1; \
	else \
		echo "npm is missing: the accessibility and validity tests will be skipped (apt-get install npm)."; \
	fi

lint: install
	$(BIN)/ruff check dateline tests benchmarks conftest.py
	$(BIN)/ruff format --check dateline tests benchmarks conftest.py
	DATELINE_TESTING=1 DATELINE_VAR_DIR=$$(mktemp -d) $(BIN)/dateline check --fail-level WARNING
	DATELINE_TESTING=1 DATELINE_VAR_DIR=$$(mktemp -d) $(BIN)/dateline makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix dateline tests benchmarks conftest.py
	$(BIN)/ruff format dateline tests benchmarks conftest.py

test: install browser node lint
	DATELINE_TESTING=1 $(BIN)/pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	if [ $$status -ne 0 ]; then exit $$status; fi
	$(MAKE) --no-print-directory test-postgres

# The tests whose behaviour depends on the database (search, visibility, loading), on PostgreSQL.
test-postgres: install
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], dbname='postgres', \
		connect_timeout=3).close()" "$(TEST_POSTGRES_URL)" 2>/dev/null; then \
		DATELINE_TESTING=1 DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest -p no:cacheprovider \
			dateline/search dateline/fronts dateline/articles/tests/test_future_stories.py \
			dateline/articles/tests/test_load_stories.py dateline/articles/tests/test_listings.py \
			dateline/syndication/tests/test_sitemaps.py; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(TEST_POSTGRES_URL): CI needs it"; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(TEST_POSTGRES_URL): skipping the PostgreSQL run"; \
	fi

# The interface's message catalogues (docs/translating.md): collect every marked string of the
# templates and the Python code into dateline/locale/{en,ru,ar}/LC_MESSAGES/django.po, then
# compile the .mo files that are committed beside them. Needs GNU gettext (apt-get install gettext).
LANGUAGES_TRANSLATED := en ru ar
messages: install
	cd dateline && DATELINE_TESTING=1 DATELINE_VAR_DIR=$$(mktemp -d) ../$(BIN)/dateline makemessages \
		$(addprefix --locale ,$(LANGUAGES_TRANSLATED)) --domain django --extension html,txt,py \
		--ignore 'tests/*' --ignore '*/tests/*' --ignore 'static/*' --no-obsolete --add-location file
	cd dateline && DATELINE_TESTING=1 DATELINE_VAR_DIR=$$(mktemp -d) ../$(BIN)/dateline compilemessages \
		$(addprefix --locale ,$(LANGUAGES_TRANSLATED))
	@for lang in $(LANGUAGES_TRANSLATED); do printf "%s: " $$lang; \
		msgfmt --statistics -o /dev/null dateline/locale/$$lang/LC_MESSAGES/django.po 2>&1; done

# The visual regression tests' baselines (tests/visual/baselines/), written from the pages as
# they are now instead of compared with them: look at what changed before committing it.
visual-baselines: install browser
	rm -f tests/visual/baselines/*.png
	VISUAL_BASELINES=write DATELINE_TESTING=1 $(BIN)/pytest -p no:cacheprovider -q \
		tests/visual/test_screenshots.py
	@git status --short tests/visual/baselines/ 2>/dev/null | head -20 || true

bench: install browser node
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache node_modules
