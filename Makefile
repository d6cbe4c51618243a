# sam build (template.yaml: Metadata BuildMethod makefile) runs `make build-<LogicalId>` with ARTIFACTS_DIR set, once
# per function and layer. samconfig.toml turns on build_in_source, so SAM runs this in the checkout instead of copying
# it (with .tools/) to a scratch directory first. scripts/build (mvn package; it checks the JDK, 25 or later, and
# stops with a clear message otherwise) lays out every package under target/package/<LogicalId> (pom.xml,
# maven-antrun-plugin): a function's zip gets the layout of the java runtimes, lib/*.jar on the classpath of
# /var/task; a layer's gets java/lib/*.jar, on the classpath from /opt/java/lib.

PACKAGES := target/package/.built
# The stamp the build leaves with the packages: one Maven build serves the four make runs of one sam build, and a
# build that already ran (scripts/test's mvn verify) serves sam build; it is redone when a source, the pom or the
# packaging rules are newer. (The build empties target/lib first, so a dependency dropped from the pom never lingers.)
$(PACKAGES): pom.xml src/build/lambda-package.pro $(shell find src/main -type f)
	scripts/build

.PHONY: artifacts-dir build-ScanFunction build-OrganizationFunction build-SecurityHubLayer build-FullReportsLayer

artifacts-dir:
	@if [ -z "$(ARTIFACTS_DIR)" ]; then echo "make: ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 2; fi

build-ScanFunction build-OrganizationFunction: artifacts-dir $(PACKAGES)
	rm -rf "$(ARTIFACTS_DIR)/lib"
	mkdir -p "$(ARTIFACTS_DIR)"
	cp -r target/package/$(@:build-%=%)/lib "$(ARTIFACTS_DIR)/lib"

build-SecurityHubLayer build-FullReportsLayer: artifacts-dir $(PACKAGES)
	rm -rf "$(ARTIFACTS_DIR)/java"
	mkdir -p "$(ARTIFACTS_DIR)"
	cp -r target/package/$(@:build-%=%)/java "$(ARTIFACTS_DIR)/java"
