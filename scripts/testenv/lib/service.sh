# Shared by the small Python test services (httpsink.sh, directory.sh, gmail.sh): a pid file, a wait
# for the port, stop and status, the start report and the usage line. Source it after setting `pidfile`.

service_running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

# service_wait PORT: until 127.0.0.1:PORT accepts (5 s); 1 when it never does.
service_wait() {
    local port="$1"
    for _ in $(seq 1 50); do
        if python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1', $port)))"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

service_stop() {
    if service_running; then kill "$(cat "$pidfile")"; fi
    rm -f "$pidfile"
}

service_status() {
    if service_running; then echo "running (pid $(cat "$pidfile"))"; else echo "stopped"; return 1; fi
}

# service_started PORT MESSAGE LOG: after a launch, waits for the port; prints MESSAGE and exits
# 0, or names LOG and exits 1.
service_started() {
    if service_wait "$1"; then
        echo "$2"
        exit 0
    fi
    echo "$(basename "$0" .sh) did not start; see $3" >&2
    exit 1
}

# service_other ACTION: the actions every service script shares besides start and env.
service_other() {
    case "$1" in
    stop) service_stop ;;
    status) service_status ;;
    *)
        echo "usage: $0 start|stop|status|env" >&2
        exit 64
        ;;
    esac
}
