# The two commands the README opens with.
.PHONY: run test build install bench

SWIFT ?= swift

# Prepare ./run/ (development config, maildir transport, example members) and run the service.
run:
	./scripts/setup.sh
	./scripts/dev.sh

# Run every test, installing what the tests need first.
test:
	./scripts/setup.sh
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

build:
	./scripts/setup.sh
	$(SWIFT) build

# Install the release binary, the templates, the example config, the systemd unit and the
# sysusers/tmpfiles snippets. PREFIX (default /usr/local) and DESTDIR (a staging root) as usual;
# then, on the machine: systemd-sysusers && systemd-tmpfiles --create && systemctl daemon-reload.
PREFIX ?= /usr/local
DESTDIR ?=
CONFIGURATION ?= release
# The installed and benchmarked binary carries the Swift runtime and Foundation inside it. Swift
# on Linux has no stable ABI: a binary that loads them from the toolchain (its RUNPATH is
# /opt/swift/...) stops starting when the toolchain is upgraded or removed. Linked in, it also
# starts in about half the time. libcurl, SQLite and cmark stay Debian's shared libraries.
STATIC ?= --static-swift-stdlib
BINDIR = $(PREFIX)/bin
DATADIR = $(PREFIX)/share/tiedotin
DOCDIR = $(PREFIX)/share/doc/tiedotin
SYSCONFDIR ?= /etc
UNITDIR ?= $(SYSCONFDIR)/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
TMPFILESDIR ?= /usr/lib/tmpfiles.d

install:
	./scripts/setup.sh
	$(SWIFT) build -c $(CONFIGURATION) $(STATIC) --product tiedotin
	[ -z "$(STATIC)" ] || ./scripts/check-runtime.sh "$$($(SWIFT) build -c $(CONFIGURATION) $(STATIC) --show-bin-path)/tiedotin"
	install -D -m 0755 "$$($(SWIFT) build -c $(CONFIGURATION) $(STATIC) --show-bin-path)/tiedotin" $(DESTDIR)$(BINDIR)/tiedotin
	install -d $(DESTDIR)$(DATADIR)/templates
	install -m 0644 Templates/*.mustache $(DESTDIR)$(DATADIR)/templates/
	install -D -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	sed -e 's|/usr/local/bin/tiedotin|$(BINDIR)/tiedotin|' -e 's|/usr/local/share/doc/tiedotin|$(DOCDIR)|' \
		systemd/tiedotin.service > tiedotin.service.out
	install -D -m 0644 tiedotin.service.out $(DESTDIR)$(UNITDIR)/tiedotin.service
	rm -f tiedotin.service.out
	install -D -m 0644 systemd/tiedotin.sysusers $(DESTDIR)$(SYSUSERSDIR)/tiedotin.conf
	install -D -m 0644 systemd/tiedotin.tmpfiles $(DESTDIR)$(TMPFILESDIR)/tiedotin.conf
	# The example config beside the real one; the real one only when there is none yet.
	sed -e 's|/usr/share/tiedotin/templates|$(DATADIR)/templates|' Config/tiedotin.yaml > tiedotin.yaml.out
	install -D -m 0640 tiedotin.yaml.out $(DESTDIR)$(SYSCONFDIR)/tiedotin/tiedotin.yaml.example
	test -e $(DESTDIR)$(SYSCONFDIR)/tiedotin/tiedotin.yaml || install -m 0640 tiedotin.yaml.out $(DESTDIR)$(SYSCONFDIR)/tiedotin/tiedotin.yaml
	rm -f tiedotin.yaml.out

# Measure delivery, queueing, memory and start-up against references in the same run (BENCHMARKS.md).
# Both senders are built the way `make install` builds the product, so the reference is the same stack.
bench:
	WITH_BENCH=1 ./scripts/setup.sh
	$(SWIFT) build -c release $(STATIC) --product tiedotin
	$(SWIFT) build -c release $(STATIC) --product bare-sender
	python3 scripts/bench.py $(BENCH_ARGS)
