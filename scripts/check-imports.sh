#!/usr/bin/env bash
# Keeps each C library (and GRDB) behind its one importing module, and Package.swift true to the
# imports (every target depends on exactly the modules its sources import), as
# docs/architecture.md says.
# Usage: check-imports.sh [ROOT]   (default: this checkout)
#        check-imports.sh --self-test   (shows that each form of import is caught)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# Any import declaration: attributes (@preconcurrency, @testable, @_implementationOnly,
# @_spi(X), …), an access level (public, package, internal, fileprivate, private) and a kind
# (import struct M.X) may come before the module name.
import_pattern() { # module-name
    echo "^[[:space:]]*(@[A-Za-z_]+(\([^)]*\))?[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]+((typealias|struct|class|enum|protocol|let|var|func)[[:space:]]+)?$1([^A-Za-z0-9_]|$)"
}

check_tree() { # root
    local root=$1 status=0 hits module allowed
    while read -r module allowed; do
        hits=$(cd "$root" && grep -rlE "$(import_pattern "$module")" Sources Tests 2>/dev/null \
            | grep -v "^Sources/$allowed/" || true)
        if [ -n "$hits" ]; then
            echo "error: $module may only be imported by Sources/$allowed, but is imported by:" >&2
            echo "$hits" >&2
            status=1
        fi
    done <<'EOF'
COpenSSL TernTLS
CLua TernScript
CZlib TernIMAP
GRDB TernState
EOF
    [ -f "$root/Package.swift" ] && { check_dependencies "$root" || status=1; }
    return $status
}

# Package.swift's dependencies against the imports, target by target (both directions).
check_dependencies() { # root
    local manifest
    . "$here/swift-env.sh"
    manifest=$(cd "$1" && swift package dump-package) || return 1
    python3 - "$1" "$manifest" <<'PY'
import glob, json, re, sys
root, manifest = sys.argv[1], json.loads(sys.argv[2])
imports = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?"
                     r"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?(\w+)", re.M)
targets = {t["name"] for t in manifest["targets"]}
products = {p for t in manifest["targets"] for d in t["dependencies"] for k, v in d.items() if k == "product"
            for p in [v[0]]}
status = 0
for target in manifest["targets"]:
    if target["type"] == "system":
        continue
    folder = target.get("path") or ("Tests/" if target["type"] == "test" else "Sources/") + target["name"]
    declared = {v[0] for d in target["dependencies"] for v in d.values()}
    used = set()
    for file in glob.glob(f"{root}/{folder}/**/*.swift", recursive=True):
        used |= set(imports.findall(open(file, encoding="utf-8").read()))
    used &= targets | products
    for name, names in (("declares but never imports", declared - used), ("imports but does not declare", used - declared)):
        if names:
            print(f"error: Package.swift: {target['name']} {name}: {', '.join(sorted(names))}", file=sys.stderr)
            status = 1
sys.exit(status)
PY
}

self_test() {
    local tree failures=0 form
    tree=$(mktemp -d)
    mkdir -p "$tree/Sources/TernTLS" "$tree/Sources/TernSync"
    echo "import COpenSSL" > "$tree/Sources/TernTLS/Allowed.swift"
    echo "import COpenSSLFork" > "$tree/Sources/TernSync/Other.swift"
    if ! check_tree "$tree" 2>/dev/null; then
        echo "self-test: an allowed import, or a module merely named alike, was refused" >&2
        failures=1
    fi
    for form in "import COpenSSL" "  import COpenSSL" "@_implementationOnly import COpenSSL" \
        "@preconcurrency import COpenSSL" "public import COpenSSL" "internal import COpenSSL" \
        "package import COpenSSL" "private import COpenSSL" "fileprivate import COpenSSL" \
        "@preconcurrency internal import COpenSSL" "@_spi(Private) public import COpenSSL" \
        "@testable import COpenSSL" "import struct COpenSSL.SSL_CTX" "import COpenSSL.ssl"; do
        echo "$form" > "$tree/Sources/TernSync/Bad.swift"
        if check_tree "$tree" 2>/dev/null; then
            echo "self-test: \"$form\" outside TernTLS was not caught" >&2
            failures=1
        fi
    done
    # A package whose target B declares A and never imports it, then imports A undeclared.
    rm -rf "$tree/Sources" && mkdir -p "$tree/Sources/A" "$tree/Sources/B"
    echo "public let a = 1" > "$tree/Sources/A/A.swift"
    local dependencies source example
    for example in '"A"|let b = 2|a declared dependency nothing imports' '|import A|an import Package.swift does not declare'; do
        IFS='|' read -r dependencies source form <<< "$example"
        printf '// swift-tools-version:6.0\nimport PackageDescription\nlet package = Package(name: "P", targets: [.target(name: "A"), .target(name: "B", dependencies: [%s])])\n' \
            "$dependencies" > "$tree/Package.swift"
        echo "$source" > "$tree/Sources/B/B.swift"
        if check_tree "$tree" 2>/dev/null; then
            echo "self-test: $form was not caught" >&2
            failures=1
        fi
    done
    rm -rf "$tree"
    [ $failures -eq 0 ] && echo "check-imports self-test: every form caught"
    return $failures
}

if [ "${1:-}" = "--self-test" ]; then
    self_test
else
    check_tree "${1:-$here/..}"
fi
