# sam build (template.yaml: Metadata BuildMethod makefile) runs `make build-ScanFunction` with ARTIFACTS_DIR set.
# samconfig.toml turns on build_in_source, so SAM runs this in the checkout instead of copying it (with .tools/)
# to a scratch directory first. The function's zip gets the layout of the java runtimes: lib/*.jar, on the
# classpath of /var/task. scripts/build checks the JDK (25 or later) and stops with a clear message otherwise.

.PHONY: build-ScanFunction build-OrganizationFunction

build-ScanFunction:
	@if [ -z "$(ARTIFACTS_DIR)" ]; then echo "make build-ScanFunction: ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 2; fi
	rm -rf target/lib # copied afresh, so a dependency dropped from the pom does not linger in the zip
	scripts/build
	rm -rf "$(ARTIFACTS_DIR)/lib"
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp target/ecr-oidc-guard.jar target/lib/*.jar "$(ARTIFACTS_DIR)/lib/"

# The organization function (deployed only with targets, template.yaml) is the same code with another handler: the
# same recipe, run by make for this target with the ARTIFACTS_DIR sam build gives it.
build-OrganizationFunction: build-ScanFunction
