# Sourced by the project's scripts: finds the Swift toolchain or says what to do.
if ! command -v swift >/dev/null 2>&1; then
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        if [ -x "$candidate/swift" ]; then
            export PATH="$candidate:$PATH"
            break
        fi
    done
fi
if ! command -v swift >/dev/null 2>&1; then
    echo "error: no Swift toolchain found. Install Swift 6 (https://www.swift.org/install/linux/) and put it on PATH." >&2
    exit 20
fi
