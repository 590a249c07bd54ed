# Tidings: the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
NPM ?= npm
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test deps ui-deps ui-build ui-check fmt-check clippy unit build-app e2e \
	bindings bundle bench soak clean

## make run: install what is missing, build the UI and the app, and open
## Tidings on your own data folder (~/.local/share/tidings on Linux).
run: deps ui-build
	$(CARGO) build -p tidings-desktop
	./target/debug/tidings-desktop

## make test: install what is missing, build, check formatting, lints and
## the UI's types, and run every test, the end-to-end tests included.
test: deps ui-build fmt-check clippy ui-check unit build-app e2e

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
	$(NPM) --prefix ui run check
	$(NPM) --prefix ui test

fmt-check:
	$(CARGO) fmt --all -- --check

clippy: ui-build
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Unit and integration tests of every crate (the desktop shell's include
# `bindings_are_fresh`), then their doc tests, with the same packages so
# nothing is compiled again for them (`-p tidings` alone rebuilt the core
# and its dependencies with other features: 5 minutes of a cold run).
unit: ui-build
	$(CARGO) test --workspace --exclude tidings-e2e --lib --bins --tests
	$(CARGO) test --workspace --exclude tidings-e2e --doc

# One invocation: the core gets the features the app asks for (specta), as
# in `unit`, so the CLI reuses that build instead of compiling the core again.
build-app: ui-build
	$(CARGO) build -p tidings-desktop --bin tidings-desktop -p tidings --bin tidings

## End-to-end: the built app under Xvfb, driven through tauri-driver and
## WebKitWebDriver, with a private D-Bus, dunst and a real nats-server.
e2e: build-app
	$(CARGO) test -p tidings-e2e -- --test-threads=1

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
