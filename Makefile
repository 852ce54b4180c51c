# The two commands a newcomer needs: `make run` and `make test`.
CARGO ?= cargo
FERRO := target/release/ferro

.PHONY: run test build engine unit fixtures bench clean

# Installs the JavaScriptCore engine and OpenSSL headers when pkg-config cannot find them (Debian/Ubuntu).
engine:
	@pkg-config --exists javascriptcoregtk-4.1 openssl || { \
	  echo "installing libjavascriptcoregtk-4.1-dev (the JavaScriptCore engine) and libssl-dev"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y libjavascriptcoregtk-4.1-dev libssl-dev pkg-config; }

build: engine
	$(CARGO) build --release

run: build
	$(FERRO) examples/hello.js

# After build: the package manager's real-registry test also runs the built ferro.
unit: build
	$(CARGO) test --release --workspace

fixtures: build
	tests/run-fixtures.sh

test: build unit fixtures

bench: build
	bench/run.sh
	bench/require/run.sh
	bench/install/run.sh

clean:
	$(CARGO) clean
