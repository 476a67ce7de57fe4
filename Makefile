# Two commands do everything: `make demo` and `make test`. The virtual environment is built on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench reliability clean tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python main.py demo

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) tools
	$(BIN)/pytest -q

# What the tests drive, from Debian's packages when missing (CI runs as root; elsewhere sudo is tried without a
# prompt): Debian's chromium for the dashboard (nothing downloads a browser) with a Chinese font, LibreOffice
# headless for plans in .doc/.wps, and PostgreSQL, whose server the tests start in a temporary folder of their own
tools:
	@command -v chromium >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q . && command -v soffice >/dev/null \
		&& ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo "sudo -n" ); \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium fonts-noto-cjk libreoffice-writer-nogui postgresql \
		|| echo "could not install chromium, fonts-noto-cjk, libreoffice-writer-nogui and postgresql: those tests will be skipped"; }

bench: $(STAMP) tools
	$(BIN)/python -m bench.import_plan
	$(BIN)/python -m bench.round_trip
	$(BIN)/python -m bench.fanout
	$(BIN)/python -m bench.plans
	$(BIN)/python -m bench.growth
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.web
	$(BIN)/python -m bench.postgres

# All of issue 5's proof at full strength: 50 SIGKILLs over 1,000 confirmed reports, Telegram faults, the access
# table, hypothesis at many more examples (`make test` runs the same tests, smaller)
reliability: $(STAMP) tools
	RELIABILITY_KILLS=50 RELIABILITY_REPORTS=1000 RELIABILITY_FANOUT_KILLS=20 BAD_INPUT_SCALE=10 PLAN_ROUND_TRIPS=20000 $(BIN)/pytest -q -s --hypothesis-show-statistics \
		tests/reliability tests/e2e/test_faults.py tests/e2e/test_restart.py tests/e2e/test_catch_up.py \
		tests/e2e/test_access.py tests/e2e/test_refusals.py tests/e2e/test_bad_input.py tests/unit/test_bad_input.py \
		tests/unit/test_event_log.py tests/contract tests/plans/test_round_trip.py tests/plans/test_broken.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
