#!/usr/bin/env bash
# Starts and stops ClickHouse 18.16 servers (Debian's clickhouse-server) for
# tests: as the current user, on 127.0.0.1 only, every file inside DIR.
# Never reads or writes /etc/clickhouse-server or /var/lib/clickhouse.
#
#   ch18.sh start DIR          one server; prints its HTTP URL. When DIR
#                              already holds a config from an earlier start,
#                              reuses it: same ports, same data (a restart).
#   ch18.sh stop DIR           SIGTERM, wait until gone (SIGKILL after 20 s)
#   ch18.sh kill DIR           SIGKILL, wait until gone (crash tests)
#   ch18.sh cluster-start DIR  ZooKeeper + two servers (cluster `mvd_test`:
#                              one shard, two replicas; `mvd_test_shards`:
#                              the same servers as two shards of one
#                              replica); prints both URLs
#   ch18.sh cluster-stop DIR   stops both servers and ZooKeeper
#   ch18.sh zk-stop DIR        kills the cluster's ZooKeeper (fault tests)
#   ch18.sh zk-start DIR       starts it again, same port and data
#
# Files: DIR/http_port, DIR/tcp_port, DIR/url, DIR/pid, DIR/config.xml,
# DIR/users.xml, DIR/data/, DIR/log/. A cluster puts one such directory per
# server in DIR/node1 and DIR/node2 (each can be stopped, killed and started
# again on its own), ZooKeeper in DIR/zk (DIR/zk/port), and the URLs in
# DIR/urls. Users: `default` with an empty password and `mvd` with password
# `mvd-secret`.
set -euo pipefail

CH_SERVER=${CH18_SERVER:-/usr/sbin/clickhouse-server}
ZK_JAR=${CH18_ZK_JAR:-/usr/share/java/zookeeper.jar}
# Seconds between two cleanups of a cluster's DDL queue (18.16's default
# 60). Each cleanup runs in the DDL worker's one thread, which runs no
# task meanwhile: it looks at every entry of the queue in ZooKeeper and
# deletes those past max_tasks_in_queue (1000), seconds once the queue
# has grown past it. tests/bench/cluster.py sets it longer than a bench
# lasts (the first cleanup comes with the first task, on an empty queue).
DDL_CLEANUP=${CH18_DDL_CLEANUP_DELAY:-60}
case $DDL_CLEANUP in '' | *[!0-9]*) echo "ch18.sh: CH18_DDL_CLEANUP_DELAY must be seconds" >&2; exit 1 ;; esac
START_TIMEOUT=20   # seconds
STOP_TIMEOUT=20

die() { echo "ch18.sh: $*" >&2; exit 1; }

# Prints N distinct TCP ports that are free on 127.0.0.1 right now, for
# the servers in DIR. They are below the kernel's ephemeral range, so that
# no connection's local port and no bind(0) takes one while a server
# restarts on it; and each is claimed for DIR by a link in
# ${TMPDIR:-/tmp}/mvd-ch18-ports/ (PORT -> DIR), so that servers started
# at once elsewhere (tests/runtime/run.sh's lanes) never get the same
# ones. A link whose DIR is gone is a stale claim, taken over.
free_ports() { # N DIR
    python3 - "$1" "$2" "${TMPDIR:-/tmp}/mvd-ch18-ports" <<'EOF'
import os, random, socket, sys
n, owner, claims = int(sys.argv[1]), sys.argv[2], sys.argv[3]
os.makedirs(claims, exist_ok=True)
with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
    ephemeral = int(f.read().split()[0])
low = 20000 if ephemeral > 21000 else 1025
ports = []
for _ in range(10000):
    if len(ports) == n:
        break
    port = random.randrange(low, ephemeral)
    link = os.path.join(claims, str(port))
    if os.path.lexists(link) and not os.path.exists(link):
        try:
            os.unlink(link)  # stale: its DIR is gone
        except FileNotFoundError:
            pass
    try:
        os.symlink(owner, link)
    except FileExistsError:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))  # no SO_REUSEADDR: a port in TIME_WAIT is skipped too
    except OSError:
        continue  # in use by a program that claims nothing: stays claimed, never tried again
    finally:
        s.close()
    ports.append(port)
if len(ports) < n:
    sys.exit("ch18.sh: no free port claimed in %s" % claims)
print(" ".join(map(str, ports)))
EOF
}

abspath() { mkdir -p "$1" && (cd "$1" && pwd); }

# True when PID is alive and its command line mentions WORD (guards against
# a recycled pid). Quiet when the process ends while its command line is
# read (tr: read error).
pid_is() {
    local pid=$1 word=$2
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$word"
}

# Sends SIG to the process in PIDFILE when it is the one we started (its
# command line mentions WORD) and waits until it is gone.
stop_pid() {
    local pidfile=$1 word=$2 sig=$3 pid i
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    if pid_is "$pid" "$word"; then
        kill "-$sig" "$pid" 2>/dev/null || true
        for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
            pid_is "$pid" "$word" || break
            sleep 0.1
        done
        if pid_is "$pid" "$word"; then
            echo "ch18.sh: pid $pid ignored SIG$sig for ${STOP_TIMEOUT}s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
            while pid_is "$pid" "$word"; do sleep 0.1; done
        fi
    fi
    rm -f "$pidfile"
}

# ---- One server -------------------------------------------------------------

write_users() { # DIR
    cat > "$1/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <load_balancing>in_order</load_balancing>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
        <mvd>
            <password>mvd-secret</password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </mvd>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
EOF
}

# DIR HTTP TCP [CLUSTER_XML]: the server's own config. Every path points
# into DIR (18.16 writes its preprocessed config under <path>).
write_config() {
    local dir=$1 http=$2 tcp=$3 extra=${4:-}
    # Substitutions come from here, not /etc/metrika.xml; 18.16 wants the
    # file to exist once include_from names it.
    echo '<?xml version="1.0"?><yandex/>' > "$dir/metrika.xml"
    cat > "$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>information</level>
        <log>$dir/log/server.log</log>
        <errorlog>$dir/log/server.err.log</errorlog>
        <size>100M</size>
        <count>1</count>
    </logger>
    <include_from>$dir/metrika.xml</include_from>
    <display_name>$dir</display_name>
    <listen_host>127.0.0.1</listen_host>
    <http_port>$http</http_port>
    <tcp_port>$tcp</tcp_port>
    <max_connections>1024</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <users_config>$dir/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
    <max_table_size_to_drop>0</max_table_size_to_drop>
    <max_partition_size_to_drop>0</max_partition_size_to_drop>
    <query_log>
        <database>system</database>
        <table>query_log</table>
        <flush_interval_milliseconds>1000</flush_interval_milliseconds>
    </query_log>
$extra
</yandex>
EOF
}

# True when the server answering on PORT is the one configured in DIR: its
# display name (sent as a header with query answers, not with /ping) is DIR.
answers_as() { # PORT DIR
    curl -s -m 2 -D - -o /dev/null "http://127.0.0.1:$1/?query=SELECT%201" 2>/dev/null \
        | tr -d '\r' | grep -qixF "X-ClickHouse-Server-Display-Name: $2"
}

# Starts the server configured in DIR and waits until /ping answers Ok.
# and the answer comes from this server, not another one that holds the
# port. Returns 1 when it exited early (the log says why), 2 when it never
# answered.
launch() {
    local dir=$1 http i
    http=$(cat "$dir/http_port")
    if pid_is "$(cat "$dir/pid" 2>/dev/null || true)" "$dir/config.xml"; then
        die "$dir: a server is already running (pid $(cat "$dir/pid"))"
    fi
    mkdir -p "$dir/data" "$dir/tmp" "$dir/log" "$dir/user_files" "$dir/format_schemas"
    : > "$dir/log/stdout.log"
    # 18.16 runs as root without complaint (newer servers refuse when the
    # data directory's owner differs from the effective user).
    (cd "$dir" && exec "$CH_SERVER" --config-file="$dir/config.xml" \
        < /dev/null > "$dir/log/stdout.log" 2>&1) &
    echo $! > "$dir/pid"
    for ((i = 0; i < START_TIMEOUT * 10; i++)); do
        [ "$(curl -s -m 1 "http://127.0.0.1:$http/ping" 2>/dev/null)" = "Ok." ] \
            && answers_as "$http" "$dir" && return 0
        pid_is "$(cat "$dir/pid")" "$dir/config.xml" || { rm -f "$dir/pid"; return 1; }
        sleep 0.1
    done
    return 2
}

# The last errors logged, not the log's last lines: those are the stack
# trace's frames, below the message that says why.
report_failure() { # DIR
    echo "ch18.sh: server in $1 did not start; last errors and output:" >&2
    { grep -h '<Error>' "$1/log/server.err.log" 2>/dev/null | tail -n 2 | cut -c1-800
      tail -n 5 "$1/log/stdout.log" 2>/dev/null; } | sed 's/^/    /' >&2 || true
}

# Writes a fresh single-server config with new ports unless DIR has one.
prepare_single() {
    local dir=$1 http tcp
    [ -f "$dir/config.xml" ] && return 0
    read -r http tcp <<< "$(free_ports 2 "$dir")"
    echo "$http" > "$dir/http_port"
    echo "$tcp" > "$dir/tcp_port"
    echo "http://127.0.0.1:$http" > "$dir/url"
    write_users "$dir"
    write_config "$dir" "$http" "$tcp"
}

cmd_start() {
    local dir attempt rc fresh=0
    dir=$(abspath "$1")
    [ -x "$CH_SERVER" ] || die "$CH_SERVER missing: run \`sh tests/deps.sh\`"
    [ -f "$dir/config.xml" ] || fresh=1
    for attempt in 1 2 3; do
        prepare_single "$dir"
        rc=0
        launch "$dir" || rc=$?
        [ $rc -eq 0 ] && { cat "$dir/url"; return 0; }
        # A port taken between choosing it and binding it: choose again.
        if [ $rc -eq 1 ] && [ $fresh -eq 1 ] && grep -qi "already in use" "$dir/log/server.err.log" "$dir/log/stdout.log" 2>/dev/null; then
            rm -f "$dir/config.xml" "$dir/log/server.err.log"
            continue
        fi
        break
    done
    [ $rc -eq 2 ] && stop_pid "$dir/pid" "$dir/config.xml" KILL
    report_failure "$dir"
    exit 1
}

cmd_stop() { # DIR SIG
    local dir
    [ -d "$1" ] || return 0
    dir=$(abspath "$1")
    stop_pid "$dir/pid" "$dir/config.xml" "$2"
}

# ---- Cluster: ZooKeeper and two servers -------------------------------------

# PORT: prints the answer to ZooKeeper's `srvr` command. Bounded in time: a
# connection made while ZooKeeper starts can stay open without an answer.
zk_srvr() {
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf srvr >&3 && cat <&3' _ "$1" \
        2>/dev/null || true
}

zk_spawn() { # DIR PORT
    local dir=$1 port=$2
    mkdir -p "$dir/data"
    echo "$port" > "$dir/port"
    # Loopback only; no admin web server (it would take port 8080); the
    # four-letter words must be whitelisted from 3.5 on.
    cat > "$dir/zoo.cfg" <<EOF
tickTime=500
initLimit=10
syncLimit=5
dataDir=$dir/data
clientPort=$port
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=srvr,ruok,stat,mntr
maxClientCnxns=0
EOF
    (cd "$dir" && exec java -Xmx256m -XX:+UseSerialGC -XX:-UsePerfData -Dzookeeper.jmx.log4j.disable=true \
        -cp "$ZK_JAR" org.apache.zookeeper.server.ZooKeeperServerMain "$dir/zoo.cfg" \
        < /dev/null > "$dir/stdout.log" 2>&1) &
    echo $! > "$dir/pid"
}

# Waits until ZooKeeper in DIR takes sessions: `ruok` answers before it
# does, `srvr` prints Mode: only once it does.
zk_wait() { # DIR
    local dir=$1 port i
    port=$(cat "$dir/port")
    for ((i = 0; i < START_TIMEOUT * 10; i++)); do
        case "$(zk_srvr "$port")" in *Mode:*) return 0 ;; esac
        pid_is "$(cat "$dir/pid")" "$dir/zoo.cfg" || break
        sleep 0.1
    done
    echo "ch18.sh: ZooKeeper in $dir did not start:" >&2
    tail -n 5 "$dir/stdout.log" | sed 's/^/    /' >&2
    return 1
}

# The part of each node's config that makes the cluster: NODE (1 or 2),
# ZooKeeper's port, both nodes' TCP ports, this node's interserver port.
cluster_xml() {
    local node=$1 zk=$2 tcp1=$3 tcp2=$4 inter=$5
    cat <<EOF
    <interserver_http_port>$inter</interserver_http_port>
    <interserver_http_host>127.0.0.1</interserver_http_host>
    <remote_servers>
        <mvd_test>
            <shard>
                <internal_replication>true</internal_replication>
                <replica><host>127.0.0.1</host><port>$tcp1</port></replica>
                <replica><host>127.0.0.1</host><port>$tcp2</port></replica>
            </shard>
        </mvd_test>
        <mvd_test_shards>
            <shard><replica><host>127.0.0.1</host><port>$tcp1</port></replica></shard>
            <shard><replica><host>127.0.0.1</host><port>$tcp2</port></replica></shard>
        </mvd_test_shards>
    </remote_servers>
    <zookeeper>
        <node index="1"><host>127.0.0.1</host><port>$zk</port></node>
        <session_timeout_ms>10000</session_timeout_ms>
    </zookeeper>
    <distributed_ddl>
        <path>/clickhouse/task_queue/ddl</path>
        <cleanup_delay_period>$DDL_CLEANUP</cleanup_delay_period>
    </distributed_ddl>
    <macros>
        <cluster>mvd_test</cluster>
        <shard>01</shard>
        <replica>r$node</replica>
    </macros>
EOF
}

# Runs a statement on URL; prints the body, fails on a non-200 answer.
http_query() { # URL SQL
    local out code
    out=$(curl -s -m 60 -w '\n%{http_code}' --data-binary "$2" "$1/") || return 1
    code=${out##*$'\n'}
    printf '%s\n' "${out%$'\n'*}"
    [ "$code" = 200 ]
}

cmd_cluster_start() {
    local zk h1 t1 i1 h2 t2 i2 n out rows
    CLEANUP_DIR=$(abspath "$1")
    local dir=$CLEANUP_DIR
    [ -x "$CH_SERVER" ] || die "$CH_SERVER missing: run \`sh tests/deps.sh\`"
    [ -f "$ZK_JAR" ] || die "$ZK_JAR missing: run \`sh tests/deps.sh\`"
    command -v java > /dev/null || die "java missing: run \`sh tests/deps.sh\`"
    # Whatever goes wrong from here on, stop what was started.
    trap 'cmd_cluster_stop "$CLEANUP_DIR" > /dev/null 2>&1' EXIT
    read -r zk h1 t1 i1 h2 t2 i2 <<< "$(free_ports 7 "$dir")"
    local https=("$h1" "$h2") tcps=("$t1" "$t2") inters=("$i1" "$i2")
    zk_spawn "$dir/zk" "$zk"
    for n in 1 2; do
        local node="$dir/node$n" http=${https[n - 1]} tcp=${tcps[n - 1]} inter=${inters[n - 1]}
        mkdir -p "$node"
        echo "$http" > "$node/http_port"
        echo "$tcp" > "$node/tcp_port"
        echo "$inter" > "$node/interserver_port"
        echo "http://127.0.0.1:$http" > "$node/url"
        write_users "$node"
        write_config "$node" "$http" "$tcp" "$(cluster_xml "$n" "$zk" "$t1" "$t2" "$inter")"
    done
    # ZooKeeper must take sessions before the servers start: 18.16's DDL
    # worker, failing to connect at startup, crashes the server a second
    # later (SIGSEGV in zkutil::ZooKeeper::createImpl).
    zk_wait "$dir/zk" || exit 1
    for n in 1 2; do
        launch "$dir/node$n" || { report_failure "$dir/node$n"; exit 1; }
    done
    cat "$dir/node1/url" "$dir/node2/url" > "$dir/urls"
    # Both hosts must execute a distributed DDL before the cluster counts.
    out=$(http_query "$(cat "$dir/node1/url")" \
        "CREATE DATABASE IF NOT EXISTS mvd_cluster_check ON CLUSTER mvd_test") \
        || die "ON CLUSTER DDL failed: $out"
    rows=$(printf '%s\n' "$out" | grep -c $'^127.0.0.1\t' || true)
    if [ "$rows" != 2 ]; then
        echo "ch18.sh: ON CLUSTER DDL answered by $rows hosts, expected 2:" >&2
        printf '%s\n' "$out" | sed 's/^/    /' >&2
        exit 1
    fi
    http_query "$(cat "$dir/node1/url")" \
        "DROP DATABASE IF EXISTS mvd_cluster_check ON CLUSTER mvd_test" > /dev/null \
        || die "ON CLUSTER DROP DATABASE failed"
    trap - EXIT
    cat "$dir/urls"
}

cmd_cluster_stop() {
    local dir
    [ -d "$1" ] || return 0
    dir=$(abspath "$1")
    # Both servers at once (each takes about 2 s to stop), then ZooKeeper.
    local n pids=()
    for n in 1 2; do
        [ -d "$dir/node$n" ] || continue
        stop_pid "$dir/node$n/pid" "$dir/node$n/config.xml" TERM &
        pids+=($!)
    done
    [ ${#pids[@]} -eq 0 ] || wait "${pids[@]}" || true
    stop_pid "$dir/zk/pid" "$dir/zk/zoo.cfg" TERM
}

# A cluster's ZooKeeper alone (fault tests): SIGKILL it, or start it
# again on its port with its data.
cmd_zk_stop() {
    local dir
    dir=$(abspath "$1")
    stop_pid "$dir/zk/pid" "$dir/zk/zoo.cfg" KILL
}

cmd_zk_start() {
    local dir
    dir=$(abspath "$1")
    [ -f "$dir/zk/port" ] || die "no ZooKeeper in $dir"
    zk_spawn "$dir/zk" "$(cat "$dir/zk/port")"
    zk_wait "$dir/zk"
}

case "${1:-}" in
    start)         [ $# -eq 2 ] || die "usage: ch18.sh start DIR"; cmd_start "$2" ;;
    stop)          [ $# -eq 2 ] || die "usage: ch18.sh stop DIR"; cmd_stop "$2" TERM ;;
    kill)          [ $# -eq 2 ] || die "usage: ch18.sh kill DIR"; cmd_stop "$2" KILL ;;
    cluster-start) [ $# -eq 2 ] || die "usage: ch18.sh cluster-start DIR"; cmd_cluster_start "$2" ;;
    cluster-stop)  [ $# -eq 2 ] || die "usage: ch18.sh cluster-stop DIR"; cmd_cluster_stop "$2" ;;
    zk-stop)       [ $# -eq 2 ] || die "usage: ch18.sh zk-stop DIR"; cmd_zk_stop "$2" ;;
    zk-start)      [ $# -eq 2 ] || die "usage: ch18.sh zk-start DIR"; cmd_zk_start "$2" ;;
    *) die "usage: ch18.sh start|stop|kill|cluster-start|cluster-stop|zk-stop|zk-start DIR" ;;
esac
