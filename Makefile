# sam build (template.yaml: Metadata BuildMethod makefile) runs `make build-<LogicalId>` with ARTIFACTS_DIR set, once
# per function and layer. samconfig.toml turns on build_in_source, so SAM runs this in the checkout instead of copying
# it (with .tools/) to a scratch directory first. scripts/build (mvn package; it checks the JDK, 25 or later, and
# stops with a clear message otherwise) lays out every package under target/package/<LogicalId> (pom.xml,
# maven-antrun-plugin): a function's zip gets the layout of the java runtimes, lib/*.jar on the classpath of
# /var/task; a layer's gets java/lib/*.jar, on the classpath from /opt/java/lib.

PACKAGES := target/package/.built
# One Maven build serves the four make runs of one sam build: it is redone when a source, the pom or the packaging
# rules change. target/lib is copied afresh, so a dependency dropped from the pom does not linger in a zip.
$(PACKAGES): pom.xml src/build/lambda-package.pro $(shell find src/main -type f)
	rm -rf target/lib
	scripts/build
	touch $@

.PHONY: artifacts-dir build-ScanFunction build-OrganizationFunction build-SecurityHubLayer build-FullReportsLayer

artifacts-dir:
	@if [ -z "$(ARTIFACTS_DIR)" ]; then echo "make: ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 2; fi

build-ScanFunction build-OrganizationFunction: artifacts-dir $(PACKAGES)
	rm -rf "$(ARTIFACTS_DIR)/lib"
	cp -r target/package/$(@:build-%=%)/lib "$(ARTIFACTS_DIR)/lib"

build-SecurityHubLayer build-FullReportsLayer: artifacts-dir $(PACKAGES)
	rm -rf "$(ARTIFACTS_DIR)/java"
	cp -r target/package/$(@:build-%=%)/java "$(ARTIFACTS_DIR)/java"
