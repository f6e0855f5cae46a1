# Shared by the small Python test services (httpsink.sh, directory.sh): a pid file, a wait
# for the port, stop and status. Source it after setting `pidfile`.

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
