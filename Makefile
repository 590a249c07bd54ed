# Tidings: the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
NPM ?= npm
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test deps ui-deps ui-build ui-check fmt-check clippy all-tests unit build-app e2e \
	bindings bundle bench soak clean

## make run: install what is missing, build the UI and the app, and open
## Tidings on your own data folder (~/.local/share/tidings on Linux).
run: deps ui-build
	$(CARGO) build -p tidings-desktop
	./target/debug/tidings-desktop

## make test: install what is missing, build, check formatting, lints and
## the UI's types, and run every test, the end-to-end tests included.
## Each step prints how long it took (CI has 90 minutes for a cold run).
test: deps ui-build fmt-check ui-check all-tests

deps: ui-deps
	@./.ci/install-deps
	@./.ci/install-nats >/dev/null
	@./.ci/install-tauri-driver >/dev/null

# npm ci only when the lock file changed since the last install.
ui-deps: ui/node_modules/.installed
ui/node_modules/.installed: ui/package-lock.json
	@./.ci/install-deps
	$(NPM) --prefix ui ci --no-audit --no-fund
	@touch $@

# The app embeds ui/dist when it is compiled: build the UI first.
ui-build: ui-deps
	$(NPM) --prefix ui run build

ui-check: ui-deps
	time $(NPM) --prefix ui run check
	time $(NPM) --prefix ui test

fmt-check:
	$(CARGO) fmt --all -- --check

# Lints on their own, for working on one part; `make test` lints inside its
# build instead (all-tests).
clippy: ui-build
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Every cargo call below that compiles uses ONE selection: the whole
# workspace, with its libraries, binaries and tests. Cargo unifies features
# over the selection (and the target kinds asked for), so `-p tidings-desktop`
# or `--test e2e` would compile tokio, tauri, tantivy, zbus … a second time
# with other features: 13 minutes of a cold run, measured on 2 cores. The
# build also compiles (and lints) the benchmarks, unoptimized: they need
# the same dev-dependencies as the tests, so nothing else changes, and
# `cargo test` leaves them out (it would run them).
WORKSPACE_TARGETS := --workspace --lib --bins --tests

# Clippy lints the workspace's crates while they are compiled for the tests:
# `cargo clippy` would check every dependency a second time (13 minutes of
# a cold run). The wrapper applies to workspace members only, and must be
# the same for every call here, or cargo compiles them again.
all-tests unit build-app e2e: export RUSTC_WORKSPACE_WRAPPER = clippy-driver

# One build of everything, linted (the app binary the end-to-end tests
# launch included, both cores busy), then every test binary in one run:
# the unit and integration tests, then the end-to-end scenarios (they take
# their own world lock, one world at a time, so no thread flag is needed).
all-tests: ui-build
	time ./.ci/no-warnings $(CARGO) build $(WORKSPACE_TARGETS) --benches
	time $(CARGO) test --no-fail-fast $(WORKSPACE_TARGETS)
	time $(CARGO) test --workspace --exclude tidings-e2e --doc

# For working on one part. `unit` reuses the build of `make test` (leaving
# out the e2e package, whose features add nothing to the others, keeps
# every other unit's hash). `e2e` builds the app as `make test` does, then
# runs the end-to-end binary alone (`-p tidings-e2e` compiles its own copy
# of the e2e crate and zbus once: their features differ without the app).
unit: ui-build
	$(CARGO) test --workspace --exclude tidings-e2e --lib --bins --tests
	$(CARGO) test --workspace --exclude tidings-e2e --doc

build-app: ui-build
	$(CARGO) build $(WORKSPACE_TARGETS) --benches

## End-to-end: the built app under Xvfb, driven through tauri-driver and
## WebKitWebDriver, with a private D-Bus, dunst and a real nats-server.
e2e: build-app
	$(CARGO) test -p tidings-e2e

## make bindings: regenerate ui/src/lib/bindings.ts from the commands.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p tidings-desktop --lib bindings_are_fresh

## make bundle: the .deb and .rpm (release build), with their sizes. The
## release profile keeps line tables for profiling benchmarks; the packages
## ship the binary stripped (32 MB instead of 274 MB).
bundle: deps ui-build
	cd src-tauri && ../ui/node_modules/.bin/tauri build --no-bundle
	strip target/release/tidings-desktop
	cd src-tauri && ../ui/node_modules/.bin/tauri bundle --bundles deb,rpm
	@ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm

## make bench: the store against SQLite, sync against raw NATS, and the
## desktop app against a bare Tauri window (BENCHMARKS.md).
bench: deps ui-build
	$(CARGO) bench --bench store_vs_sqlite
	$(CARGO) bench --bench sync
	$(CARGO) build --release -p tidings-desktop -p tidings-bare-window
	$(CARGO) run --release -p tidings-desktop-bench

## make soak: the crash test with 1,000 SIGKILL cycles instead of 50.
soak: deps
	TIDINGS_CRASH_CYCLES=1000 $(CARGO) test --test tests -- crash --nocapture

clean:
	$(CARGO) clean
