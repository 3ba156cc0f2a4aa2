#!/usr/bin/env bash
# scripts/elasticsearch.sh: fetch, start, wait for, report and stop a real
# single-node Elasticsearch for Faultline's tests, CI and benchmarks.
#
# Usage:
#   bash scripts/elasticsearch.sh fetch            # download + unpack into the cache only
#   bash scripts/elasticsearch.sh start [--new]    # start (or reuse) a node, wait for yellow, print its URL
#   bash scripts/elasticsearch.sh status           # running or not, and the URL (exit 0 running, 1 not)
#   bash scripts/elasticsearch.sh stop [--all]     # stop the node of the last start (--all: every node), delete its data
#   bash scripts/elasticsearch.sh --help
#
#   FAULTLINE_ES_INSTANCE=outage bash scripts/elasticsearch.sh start       # a second, named node
#   FAULTLINE_ES_INSTANCE=outage bash scripts/elasticsearch.sh stop --keep # stop it, keep data + port
#   FAULTLINE_ES_INSTANCE=outage bash scripts/elasticsearch.sh start       # the same node again
#   FAULTLINE_ES_INSTANCE=outage bash scripts/elasticsearch.sh stop        # stop it, delete its data
#
#   export "$(bash scripts/elasticsearch.sh start)"      # or: source .cache/elasticsearch/current.env
#   curl -s "$FAULTLINE_TEST_ELASTICSEARCH_URL/_cluster/health"
#
# `start` prints exactly one line on stdout (all progress goes to stderr):
#   FAULTLINE_TEST_ELASTICSEARCH_URL=http://elastic:<password>@127.0.0.1:<port>
# and writes the same line to .cache/elasticsearch/current.env. If the node of
# the last start is still running and healthy, `start` reuses it and prints its
# URL again (reuse-if-running); `start --new` always starts another node (its
# own ports and data dir) and makes it the current one. A failed start kills
# what it launched, prints the last 50 lines of the ES log and exits non-zero.
#
# Named instances (FAULTLINE_ES_INSTANCE=<name>: a lowercase letter, then
# lowercase letters, digits or dashes) are nodes of their own, for tests that
# must stop and restart Elasticsearch without touching the shared node: they
# live in instances/<name>/, never become the current node, and `start`,
# `stop` and `status` act on that node only. `stop --keep` stops it and keeps
# its data, ports and password; the next `start` brings the same node back on
# the same URL with its indices (a restart, as after an outage).
#
# Environment:
#   FAULTLINE_ES_VERSION          Elasticsearch version (default 9.2.8)
#   FAULTLINE_ES_PASSWORD         password of the `elastic` user (default: random, 24 alphanumerics)
#   FAULTLINE_ES_JAVA_HOME        JDK >= 21 to run it (default: newest >= 21 under /usr/lib/jvm,
#                                 then $JAVA_HOME, then `java` on PATH)
#   FAULTLINE_ES_HEAP             heap size, -Xms = -Xmx (default 1g)
#   FAULTLINE_ES_STARTUP_TIMEOUT  seconds to wait for yellow health (default 180)
#   FAULTLINE_ES_USER             system user ES runs as when invoked as root (default faultline-es,
#                                 created with useradd if missing); as non-root ES runs as the caller
#   FAULTLINE_ES_JAVA_OPTS        extra JVM options for the node
#   FAULTLINE_ES_INSTANCE         name of a separate node to act on (see above; default: the
#                                 shared, current node)
#
# What it is: the "integ-test-zip" distribution from Maven Central
# (org.elasticsearch.distribution.integ-test-zip:elasticsearch). It bundles no JDK
# and only a few modules: transport-netty4, x-pack-core, x-pack-security, apm.
# Security IS included, so the node runs with security ON over plain HTTP
# (xpack.security.enabled, HTTP and transport TLS off, `elastic` password set as
# bootstrap.password in the keystore; anonymous or wrong-password requests get
# 401). Should a version lack x-pack-security, the script says so and runs with
# security off (the URL keeps the same form; the credentials are then ignored).
# The password is percent-encoded in the URL (decode it when building a header).
# Works (checked on 9.2.8): index/bulk/search, terms and date_histogram aggs,
# composable index templates, point-in-time, flattened, DELETE with wildcards,
# GET /_security/_authenticate, /_cluster/health.
# Does NOT work, because the modules are missing:
#   - GET / answers 405 (no rest-root module): probe /_cluster/health instead;
#   - the .security index cannot be created (it needs analysis-common's
#     pattern_capture filter), so native users, roles and API keys cannot be
#     made: authenticate as `elastic` only (reserved realm + bootstrap password);
#   - ingest pipelines/processors, painless, _delete_by_query/_update_by_query/
#     _reindex, analysis-common analyzers, mapper-extras (match_only_text,
#     scaled_float, ...), wildcard and constant_keyword fields, data streams,
#     ILM, ML, geoip, /_xpack (500).
# Settings for absent modules (ingest.geoip.*, xpack.ml.*, ...) are written only
# if the module is there, since ES rejects unknown settings. Expected WARNs in
# its log: bootstrap checks (file descriptors, vm.max_map_count, transport TLS)
# are only warnings for a single-node loopback node; "Failed to sync built-in
# roles to .security index" is the missing-module issue above.
#
# Layout, under <repo>/.cache/elasticsearch/ (git-ignored via /.cache/):
#   downloads/elasticsearch-<v>.zip       the zip (Maven Central publishes no
#                                         checksum file for it: if a .sha512/.sha1
#                                         is there it is checked, else `unzip -t`)
#   dist/elasticsearch-<v>/               unpacked distribution, read-only, shared
#   instances/<http-port>/                one node: config/ (private copy, keystore),
#                                         data/, logs/, tmp/, instance.env
#   instances/<name>/                     a named node (FAULTLINE_ES_INSTANCE), same layout
#   current                               path of the instance of the last start
#   current.env                           the FAULTLINE_TEST_ELASTICSEARCH_URL=... line
# If the ES user cannot reach the cache (e.g. a clone under /root, mode 700), the
# distribution copy and instances go to /var/tmp/faultline-es-<hash>/ instead.
# Node settings: 127.0.0.1 only, free HTTP and transport ports from the OS,
# discovery.type single-node, disk threshold off, destructive actions by
# wildcard allowed (test indices), heap 1g, no heap dumps.
# Timing on the 2-core machine: warm start ~14-20 s (keystore tool ~3 s, node
# boot ~11-16 s); the first run adds ~5 s to download (100 MB) and unpack.
# Requires: bash, curl, unzip, flock, pgrep, python3 or node, a JDK >= 21;
# as root also useradd and setpriv or runuser (util-linux).

set -euo pipefail

readonly DEFAULT_VERSION=9.2.8
readonly MIN_JAVA=21
readonly MAVEN_BASE=https://repo.maven.apache.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
CACHE=$ROOT/.cache/elasticsearch
VERSION=${FAULTLINE_ES_VERSION:-$DEFAULT_VERSION}
HEAP=${FAULTLINE_ES_HEAP:-1g}
STARTUP_TIMEOUT=${FAULTLINE_ES_STARTUP_TIMEOUT:-180}
ES_USER_NAME=${FAULTLINE_ES_USER:-faultline-es}
ZIP=$CACHE/downloads/elasticsearch-$VERSION.zip
DIST=$CACHE/dist/elasticsearch-$VERSION
CURRENT=$CACHE/current
CURRENT_ENV=$CACHE/current.env
URL_VAR=FAULTLINE_TEST_ELASTICSEARCH_URL
INSTANCE=${FAULTLINE_ES_INSTANCE:-}
if [[ -n $INSTANCE && ! $INSTANCE =~ ^[a-z][a-z0-9-]{0,62}$ ]]; then
  printf '[elasticsearch.sh] error: FAULTLINE_ES_INSTANCE=%s: use a lowercase letter, then lowercase letters, digits or dashes\n' "$INSTANCE" >&2
  exit 1
fi

log() { printf '[elasticsearch.sh] %s\n' "$*" >&2; }
die() { printf '[elasticsearch.sh] error: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; }

need() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "'$c' is required but not installed"; done
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# ---------------------------------------------------------------- locking
# One lock for the whole cache: concurrent fetch/start/stop calls serialize,
# so a second concurrent `start` reuses the node the first one started.
take_lock() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  if ! flock -w 900 9; then die "could not lock $CACHE/.lock within 900 s"; fi
}

# ---------------------------------------------------------------- fetch
verify_zip() { # file -> 0 if it is a complete zip
  unzip -tqq "$1" >/dev/null 2>&1
}

download_zip() {
  local url="$MAVEN_BASE/$VERSION/elasticsearch-$VERSION.zip" part="$ZIP.part" sum algo expected actual
  mkdir -p "$CACHE/downloads"
  log "downloading $url"
  rm -f "$part"
  if ! curl -fL --retry 3 --retry-delay 2 --connect-timeout 20 -sS -o "$part" "$url"; then
    rm -f "$part"
    die "download failed: $url (check the version FAULTLINE_ES_VERSION=$VERSION and network access to Maven Central)"
  fi
  expected=""
  for algo in sha512 sha1; do
    if sum=$(curl -fsSL --retry 2 --connect-timeout 20 "$url.$algo" 2>/dev/null) && [[ -n $sum ]]; then
      expected=${sum%% *}; expected=${expected//[[:space:]]/}
      actual=$("${algo}sum" "$part" | cut -d' ' -f1)
      if [[ $actual != "$expected" ]]; then
        rm -f "$part"
        die "$algo mismatch for $url: expected $expected, got $actual"
      fi
      log "$algo checksum OK"
      break
    fi
  done
  [[ -n $expected ]] || log "no .sha512/.sha1 published next to the zip; checking zip integrity instead"
  verify_zip "$part" || { rm -f "$part"; die "downloaded file is not a valid zip: $url"; }
  sha512sum "$part" | sed "s|$part|$(basename "$ZIP")|" >"$ZIP.sha512.local"
  mv -f "$part" "$ZIP"
}

fetch() {
  if [[ -x $DIST/bin/elasticsearch && -f $DIST/.faultline-complete ]]; then
    log "cached: $DIST"
    return 0
  fi
  need curl unzip sha512sum sha1sum
  if [[ -f $ZIP ]] && ! verify_zip "$ZIP"; then
    log "cached zip $ZIP is corrupt; downloading again"
    rm -f "$ZIP"
  fi
  [[ -f $ZIP ]] || download_zip
  log "unpacking $(basename "$ZIP")"
  mkdir -p "$CACHE/dist"
  local tmp
  tmp=$(mktemp -d "$CACHE/dist/.unpack.XXXXXX")
  if ! unzip -qq "$ZIP" -d "$tmp"; then rm -rf "$tmp"; die "unzip of $ZIP failed"; fi
  [[ -x $tmp/elasticsearch-$VERSION/bin/elasticsearch ]] || { rm -rf "$tmp"; die "unexpected zip layout: no elasticsearch-$VERSION/bin/elasticsearch"; }
  # Shared and read-only for the node's user; each node gets its own config copy.
  chmod -R u+rwX,go+rX,go-w "$tmp/elasticsearch-$VERSION"
  touch "$tmp/elasticsearch-$VERSION/.faultline-complete"
  rm -rf "$DIST"
  mv "$tmp/elasticsearch-$VERSION" "$DIST"
  rmdir "$tmp"
  log "unpacked to $DIST"
}

# ---------------------------------------------------------------- java
java_major() { # java_home -> major version on stdout (nothing if not a JDK)
  local home=$1 v=""
  [[ -x $home/bin/java ]] || return 0
  if [[ -f $home/release ]]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z $v ]]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
  fi
  v=${v#1.}
  v=${v%%[.+-]*}
  [[ $v =~ ^[0-9]+$ ]] && printf '%s\n' "$v"
  return 0
}

find_java() {
  local home major best="" best_major=0 cand p
  if [[ -n ${FAULTLINE_ES_JAVA_HOME:-} ]]; then
    major=$(java_major "$FAULTLINE_ES_JAVA_HOME")
    [[ -n $major ]] || die "FAULTLINE_ES_JAVA_HOME=$FAULTLINE_ES_JAVA_HOME has no usable bin/java"
    ((major >= MIN_JAVA)) || die "FAULTLINE_ES_JAVA_HOME=$FAULTLINE_ES_JAVA_HOME is Java $major; Elasticsearch needs >= $MIN_JAVA"
    JAVA_HOME_FOR_ES=$FAULTLINE_ES_JAVA_HOME
    return 0
  fi
  for cand in /usr/lib/jvm/*; do
    [[ -d $cand && ! -L $cand ]] || continue
    major=$(java_major "$cand")
    [[ -n $major ]] && ((major >= MIN_JAVA && major > best_major)) && { best=$cand; best_major=$major; }
  done
  if [[ -z $best && -n ${JAVA_HOME:-} ]]; then
    major=$(java_major "$JAVA_HOME")
    [[ -n $major ]] && ((major >= MIN_JAVA)) && best=$JAVA_HOME
  fi
  if [[ -z $best ]] && p=$(command -v java 2>/dev/null); then
    home=$(dirname "$(dirname "$(readlink -f "$p")")")
    major=$(java_major "$home")
    [[ -n $major ]] && ((major >= MIN_JAVA)) && best=$home
  fi
  [[ -n $best ]] || die "no JDK >= $MIN_JAVA found (looked at FAULTLINE_ES_JAVA_HOME, /usr/lib/jvm, JAVA_HOME, PATH); install one (e.g. apt-get install openjdk-21-jdk-headless) or set FAULTLINE_ES_JAVA_HOME"
  JAVA_HOME_FOR_ES=$best
}

# ---------------------------------------------------------------- user
ES_USER=""; ES_GROUP=""
setup_user() {
  if ! is_root; then
    ES_USER=$(id -un); ES_GROUP=$(id -gn)
    return 0
  fi
  ES_USER=$ES_USER_NAME
  if ! id -u "$ES_USER" >/dev/null 2>&1; then
    log "creating system user $ES_USER (Elasticsearch refuses to run as root)"
    if command -v useradd >/dev/null 2>&1; then
      useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$ES_USER" 2>/dev/null || id -u "$ES_USER" >/dev/null 2>&1 \
        || die "useradd $ES_USER failed"
    elif command -v adduser >/dev/null 2>&1; then
      adduser -S -D -H "$ES_USER" || die "adduser $ES_USER failed"
    else
      die "user $ES_USER is missing and neither useradd nor adduser is available"
    fi
  fi
  [[ $(id -u "$ES_USER") -ne 0 ]] || die "FAULTLINE_ES_USER=$ES_USER is uid 0; Elasticsearch refuses to run as root"
  ES_GROUP=$(id -gn "$ES_USER")
}

as_es() { # run a command as the ES user (exec, no extra process when root)
  if is_root; then
    if command -v setpriv >/dev/null 2>&1; then
      setpriv --reuid="$ES_USER" --regid="$ES_GROUP" --init-groups -- "$@"
    else
      runuser -u "$ES_USER" -- "$@"
    fi
  else
    "$@"
  fi
}

# ---------------------------------------------------------------- helpers
free_port() {
  local code='import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
  if command -v python3 >/dev/null 2>&1; then
    python3 -c "$code"
  elif command -v node >/dev/null 2>&1; then
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  else
    die "python3 or node is needed to pick a free port"
  fi
}

gen_password() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import secrets,string; a=string.ascii_letters+string.digits; print("".join(secrets.choice(a) for _ in range(24)))'
  else
    od -An -tx1 -N12 /dev/urandom | tr -d ' \n'
  fi
}

urlencode() { # RFC 3986 userinfo-safe percent-encoding
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [a-zA-Z0-9._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

# Decide where nodes run: in the cache if the ES user can reach it, else in
# /var/tmp (a clone under a private home dir is not traversable by that user).
RUN_DIST=""; INSTANCES=""
pick_run_base() {
  if as_es test -x "$DIST/bin/elasticsearch" -a -r "$DIST/lib" -a -x "$CACHE" 2>/dev/null; then
    RUN_DIST=$DIST
    INSTANCES=$CACHE/instances
    return 0
  fi
  local base
  base=/var/tmp/faultline-es-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)
  log "user $ES_USER cannot reach $CACHE; running from $base instead"
  mkdir -p "$base"
  chmod 755 "$base"
  RUN_DIST=$base/dist/elasticsearch-$VERSION
  if [[ ! -f $RUN_DIST/.faultline-complete ]]; then
    rm -rf "$RUN_DIST" "$RUN_DIST.tmp"
    mkdir -p "$base/dist"
    chmod 755 "$base/dist"
    cp -a "$DIST" "$RUN_DIST.tmp"
    mv "$RUN_DIST.tmp" "$RUN_DIST"
  fi
  INSTANCES=$base/instances
}

# Instance state (instance.env, root/owner-only): ES_PORT ES_TRANSPORT_PORT
# ES_PASSWORD ES_URL ES_LEADER_PID ES_VERSION ES_SECURITY
load_instance() { # dir -> 0 if loaded
  local dir=$1
  ES_PORT=""; ES_PASSWORD=""; ES_URL=""; ES_VERSION=""; ES_SECURITY=""
  [[ -f $dir/instance.env ]] || return 1
  # shellcheck disable=SC1091
  source "$dir/instance.env"
}

instance_pids() { # dir -> pids of processes belonging to that node (by its config path)
  # the CLI launcher carries -Des.path.conf, the server JVM only -Djava.io.tmpdir
  pgrep -f -- "-D(es\.path\.conf=$1/config|java\.io\.tmpdir=$1/tmp)( |$)" 2>/dev/null || true
}

instance_alive() { [[ -n $(instance_pids "$1") ]]; }

health_ok() { # port password security -> 0 if yellow or green
  local port=$1 pw=$2 sec=$3 code auth=()
  [[ $sec == on ]] && auth=(-u "elastic:$pw")
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${auth[@]}" \
    "http://127.0.0.1:$port/_cluster/health?wait_for_status=yellow&timeout=5s" 2>/dev/null) || code=000
  [[ $code == 200 ]]
}

es_log_file() { # dir -> main ES log (falls back to the console log)
  local f
  f=$1/logs/faultline-test-$(basename "$1").log # <cluster.name>.log
  if [[ -s $f ]]; then printf '%s\n' "$f"; else printf '%s\n' "$1/logs/console.log"; fi
}

show_log_tail() { # dir: last 50 lines of the ES log, plus the console output if it says more
  local f
  f=$(es_log_file "$1")
  if [[ -s $f ]]; then
    log "last 50 lines of $f:"
    tail -n 50 "$f" >&2 || true
  fi
  # console output that is not a copy of the log (JVM/launcher errors)
  if [[ $f != "$1/logs/console.log" && -s $1/logs/console.log ]] &&
    grep -qv -e '^\[20[0-9][0-9]-' -e '^[[:space:]]' -e '^$' "$1/logs/console.log"; then
    log "console output of the launcher ($1/logs/console.log):"
    grep -v -e '^\[20[0-9][0-9]-' -e '^[[:space:]]' -e '^$' "$1/logs/console.log" | tail -n 10 >&2 || true
  elif [[ ! -s $f ]]; then
    log "(no log output yet)"
  fi
}

kill_instance() { # dir [grace seconds]: SIGTERM, wait, SIGKILL; 0 when nothing is left
  local dir=$1 grace=${2:-30} pids i
  pids=$(instance_pids "$dir")
  [[ -n $pids ]] || return 0
  log "stopping Elasticsearch (pids $(xargs <<<"$pids"))"
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for ((i = 0; i < grace * 2; i++)); do
    instance_alive "$dir" || return 0
    sleep 0.5
  done
  pids=$(instance_pids "$dir")
  if [[ -n $pids ]]; then
    log "still running after ${grace}s; sending SIGKILL to $(xargs <<<"$pids")"
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
      instance_alive "$dir" || return 0
      sleep 0.5
    done
  fi
  ! instance_alive "$dir"
}

print_url_line() { # url
  printf '%s=%s\n' "$URL_VAR" "$1"
}

make_current() { # dir url
  printf '%s\n' "$1" >"$CURRENT.tmp" && mv -f "$CURRENT.tmp" "$CURRENT"
  (umask 077 && print_url_line "$2" >"$CURRENT_ENV.tmp") && mv -f "$CURRENT_ENV.tmp" "$CURRENT_ENV"
}

clear_current_if() { # dir
  if [[ -f $CURRENT && $(cat "$CURRENT") == "$1" ]]; then rm -f "$CURRENT" "$CURRENT_ENV"; fi
}

# ---------------------------------------------------------------- start
STARTING_DIR=""
RESUMING_DIR=""
on_start_exit() {
  local rc=$?
  if [[ -n $RESUMING_DIR ]]; then
    kill_instance "$RESUMING_DIR" 10 || true
    log "restart of $RESUMING_DIR failed; its data is kept"
  fi
  if [[ -n $STARTING_DIR ]]; then
    kill_instance "$STARTING_DIR" 10 || true
    if [[ -d $STARTING_DIR/logs ]]; then
      cp -f "$(es_log_file "$STARTING_DIR")" "$CACHE/last-failed-start.log" 2>/dev/null || true
    fi
    rm -rf "$STARTING_DIR"
    clear_current_if "$STARTING_DIR"
    log "start failed; cleaned up (log kept in $CACHE/last-failed-start.log)"
  fi
  exit "$rc"
}

start() {
  local force_new=0
  [[ ${1:-} == --new ]] && force_new=1
  [[ $STARTUP_TIMEOUT =~ ^[0-9]+$ ]] || die "FAULTLINE_ES_STARTUP_TIMEOUT must be a number of seconds"
  need curl unzip flock pgrep
  take_lock

  if [[ -n $INSTANCE ]]; then
    ((force_new == 0)) || die "--new does not apply to the named instance '$INSTANCE': stop it first"
  elif ((force_new == 0)) && [[ -f $CURRENT ]]; then
    local cur
    cur=$(cat "$CURRENT")
    if load_instance "$cur" && instance_alive "$cur" && health_ok "$ES_PORT" "$ES_PASSWORD" "$ES_SECURITY"; then
      if [[ -n ${FAULTLINE_ES_PASSWORD:-} && $FAULTLINE_ES_PASSWORD != "$ES_PASSWORD" ]]; then
        log "warning: FAULTLINE_ES_PASSWORD differs from the running node's password; reusing the running node (stop it first to change)"
      fi
      log "reusing running Elasticsearch $ES_VERSION on port $ES_PORT ($cur)"
      make_current "$cur" "$ES_URL"
      print_url_line "$ES_URL"
      return 0
    fi
    if [[ -d $cur ]]; then
      log "last recorded node ($cur) is not running or not healthy; cleaning it up"
      kill_instance "$cur" 30 || die "could not stop stale node in $cur"
      rm -rf "$cur"
    fi
    rm -f "$CURRENT" "$CURRENT_ENV"
  fi

  fetch
  find_java
  setup_user
  pick_run_base

  local named=""
  if [[ -n $INSTANCE ]]; then
    named=$INSTANCES/$INSTANCE
    if load_instance "$named"; then
      if instance_alive "$named" && health_ok "$ES_PORT" "$ES_PASSWORD" "$ES_SECURITY"; then
        log "reusing running Elasticsearch $ES_VERSION '$INSTANCE' on port $ES_PORT ($named)"
        print_url_line "$ES_URL"
        return 0
      fi
      if instance_alive "$named"; then
        log "node '$INSTANCE' is running but not healthy; restarting it"
        kill_instance "$named" 30 || die "could not stop the unhealthy node in $named"
      fi
      resume "$named"
      return 0
    fi
    rm -rf "$named"
  fi

  local security=on
  if [[ ! -d $RUN_DIST/modules/x-pack-security ]]; then
    security=off
    log "WARNING: this distribution ($VERSION) has no x-pack-security module: starting with security DISABLED (credentials in the URL are ignored)"
  fi

  local password=${FAULTLINE_ES_PASSWORD:-}
  if [[ -z $password ]]; then
    password=$(gen_password)
  elif ((${#password} < 6)); then
    die "FAULTLINE_ES_PASSWORD must be at least 6 characters (Elasticsearch rule)"
  fi

  local port tport dir
  port=$(free_port)
  tport=$(free_port)
  while [[ $tport == "$port" ]]; do tport=$(free_port); done
  dir=${named:-$INSTANCES/$port}
  mkdir -p "$INSTANCES"
  chmod 755 "$INSTANCES" 2>/dev/null || true
  rm -rf "$dir"

  STARTING_DIR=$dir
  trap on_start_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  mkdir -p "$dir/data" "$dir/logs" "$dir/tmp"
  cp -R "$RUN_DIST/config" "$dir/config"
  mkdir -p "$dir/config/jvm.options.d"

  {
    echo "# written by scripts/elasticsearch.sh"
    echo "cluster.name: faultline-test-${dir##*/}"
    echo "node.name: faultline-es-${dir##*/}"
    echo "path.data: $dir/data"
    echo "path.logs: $dir/logs"
    echo "network.host: 127.0.0.1"
    echo "http.port: $port"
    echo "transport.port: $tport"
    echo "discovery.type: single-node"
    echo "cluster.routing.allocation.disk.threshold_enabled: false"
    echo "action.destructive_requires_name: false"
    if [[ $security == on ]]; then
      echo "xpack.security.enabled: true"
      echo "xpack.security.http.ssl.enabled: false"
      echo "xpack.security.transport.ssl.enabled: false"
      echo "xpack.security.enrollment.enabled: false"
      echo "xpack.security.autoconfiguration.enabled: false"
    fi
    [[ -d $RUN_DIST/modules/ingest-geoip ]] && echo "ingest.geoip.downloader.enabled: false"
    [[ -d $RUN_DIST/modules/x-pack-ml ]] && echo "xpack.ml.enabled: false"
    [[ -d $RUN_DIST/modules/x-pack-monitoring ]] && echo "xpack.monitoring.collection.enabled: false"
    [[ -d $RUN_DIST/modules/x-pack-watcher ]] && echo "xpack.watcher.enabled: false"
    true
  } >"$dir/config/elasticsearch.yml"

  {
    echo "-Xms$HEAP"
    echo "-Xmx$HEAP"
    echo "-XX:-HeapDumpOnOutOfMemoryError"
  } >"$dir/config/jvm.options.d/faultline.options"

  local url_pw url
  url_pw=$(urlencode "$password")
  url="http://elastic:$url_pw@127.0.0.1:$port"

  (
    umask 077
    {
      printf 'ES_PORT=%q\n' "$port"
      printf 'ES_TRANSPORT_PORT=%q\n' "$tport"
      printf 'ES_PASSWORD=%q\n' "$password"
      printf 'ES_URL=%q\n' "$url"
      printf 'ES_VERSION=%q\n' "$VERSION"
      printf 'ES_SECURITY=%q\n' "$security"
    } >"$dir/instance.env"
  )
  chown -R "$ES_USER:$ES_GROUP" "$dir/data" "$dir/logs" "$dir/tmp" "$dir/config"
  chmod 755 "$dir"

  set_es_env "$dir"

  if [[ $security == on ]]; then
    log "setting bootstrap.password in the keystore"
    # `add -f` creates the keystore (with keystore.seed) when missing: one JVM
    # launch (~3 s) instead of two for `create` + `add`.
    if ! printf '%s' "$password" | as_es "${ES_ENV[@]}" "$RUN_DIST/bin/elasticsearch-keystore" add -x -f bootstrap.password >/dev/null 2>"$dir/logs/keystore.err"; then
      cat "$dir/logs/keystore.err" >&2
      die "elasticsearch-keystore failed"
    fi
  fi

  launch "$dir" "$port" "$password" "$security" "$url"
  STARTING_DIR=""
  trap - EXIT INT TERM
}

ES_ENV=()
set_es_env() { # dir: the environment the node's tools run in
  ES_ENV=(
    env -i
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    "HOME=$1/tmp"
    "LANG=C.UTF-8"
    "ES_JAVA_HOME=$JAVA_HOME_FOR_ES"
    "ES_PATH_CONF=$1/config"
    "ES_TMPDIR=$1/tmp"
    "ES_JAVA_OPTS=${FAULTLINE_ES_JAVA_OPTS:-}"
  )
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

resume() { # dir: start a stopped named node again with its data, ports and password
  local dir=$1
  load_instance "$dir" || die "$dir has no instance.env"
  port_in_use "$ES_PORT" && die "port $ES_PORT of node '$INSTANCE' is taken by another process; stop it (FAULTLINE_ES_INSTANCE=$INSTANCE ... stop) to start afresh"
  port_in_use "$ES_TRANSPORT_PORT" && die "transport port $ES_TRANSPORT_PORT of node '$INSTANCE' is taken by another process"
  RESUMING_DIR=$dir
  trap on_start_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  set_es_env "$dir"
  launch "$dir" "$ES_PORT" "$ES_PASSWORD" "$ES_SECURITY" "$ES_URL"
  RESUMING_DIR=""
  trap - EXIT INT TERM
}

launch() { # dir port password security url: run the node, wait for yellow, print the URL
  local dir=$1 port=$2 password=$3 security=$4 url=$5
  log "starting Elasticsearch $VERSION (Java: $JAVA_HOME_FOR_ES, user: $ES_USER, heap: $HEAP, security: $security) on 127.0.0.1:$port"
  # Own session so nothing gets signals from the caller's terminal; stdio and
  # the lock fd are not inherited, so $(...) callers and later starts never hang.
  local -a as_user=()
  if is_root; then
    if command -v setpriv >/dev/null 2>&1; then
      as_user=(setpriv --reuid="$ES_USER" --regid="$ES_GROUP" --init-groups --)
    else
      as_user=(runuser -u "$ES_USER" --)
    fi
  fi
  (cd "$dir/logs" && exec setsid "${as_user[@]}" "${ES_ENV[@]}" "$RUN_DIST/bin/elasticsearch" -p "$dir/logs/es.pid") \
    </dev/null >"$dir/logs/console.log" 2>&1 9>&- &
  local launcher=$!

  local t0=$SECONDS elapsed next_report=5
  while :; do
    elapsed=$((SECONDS - t0))
    if health_ok "$port" "$password" "$security"; then break; fi
    if ! kill -0 "$launcher" 2>/dev/null && ! instance_alive "$dir"; then
      log "Elasticsearch exited during startup"
      show_log_tail "$dir"
      exit 1
    fi
    if ((elapsed >= STARTUP_TIMEOUT)); then
      log "timed out after ${STARTUP_TIMEOUT}s waiting for yellow health"
      show_log_tail "$dir"
      exit 1
    fi
    if ((elapsed >= next_report)); then
      log "waiting for http://127.0.0.1:$port ... ${elapsed}s"
      next_report=$((elapsed + 5))
    fi
    sleep 1
  done

  printf 'ES_LEADER_PID=%q\n' "$launcher" >>"$dir/instance.env"
  [[ -n $INSTANCE ]] || make_current "$dir" "$url"
  log "Elasticsearch $VERSION is up on 127.0.0.1:$port after $((SECONDS - t0))s (security: $security)"
  print_url_line "$url"
}

# ---------------------------------------------------------------- stop / status
stop_one() { # dir
  local dir=$1
  if ! kill_instance "$dir" 30; then die "could not stop the node in $dir"; fi
  rm -rf "$dir"
  clear_current_if "$dir"
  log "stopped and removed $dir"
}

all_instance_dirs() {
  local d base
  for base in "$CACHE/instances" /var/tmp/faultline-es-"$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"/instances; do
    [[ -d $base ]] || continue
    for d in "$base"/*/; do [[ -d $d ]] && printf '%s\n' "${d%/}"; done
  done
  return 0
}

named_dir() { # -> the directory of the named instance, if there is one
  local d
  while IFS= read -r d; do
    [[ ${d##*/} == "$INSTANCE" ]] && { printf '%s\n' "$d"; return 0; }
  done < <(all_instance_dirs)
  return 1
}

stop() {
  need pgrep flock
  take_lock
  if [[ -n $INSTANCE ]]; then
    local dir
    if ! dir=$(named_dir); then
      log "no node named '$INSTANCE'; nothing to stop"
      return 0
    fi
    if [[ ${1:-} == --keep ]]; then
      kill_instance "$dir" 30 || die "could not stop the node in $dir"
      log "stopped '$INSTANCE'; its data, ports and password are kept for the next start"
    else
      stop_one "$dir"
    fi
    return 0
  fi
  [[ ${1:-} != --keep ]] || die "--keep applies to a named node only (set FAULTLINE_ES_INSTANCE)"
  if [[ ${1:-} == --all ]]; then
    local d found=0
    while IFS= read -r d; do
      [[ -n $d ]] || continue
      found=1
      stop_one "$d"
    done < <(all_instance_dirs)
    ((found)) || log "no instances to stop"
    rm -f "$CURRENT" "$CURRENT_ENV"
    return 0
  fi
  if [[ ! -f $CURRENT ]]; then
    log "no instance recorded by a previous start; nothing to stop"
    return 0
  fi
  local cur
  cur=$(cat "$CURRENT")
  if [[ -d $cur ]]; then
    stop_one "$cur"
  else
    log "recorded instance $cur no longer exists"
  fi
  rm -f "$CURRENT" "$CURRENT_ENV"
}

status() {
  need pgrep curl
  local cur rc=1 d
  if [[ -n $INSTANCE ]]; then
    if ! d=$(named_dir) || ! load_instance "$d"; then
      echo "not running (no node named '$INSTANCE')"
      return 1
    fi
    if instance_alive "$d" && health_ok "$ES_PORT" "$ES_PASSWORD" "$ES_SECURITY"; then
      echo "running: '$INSTANCE', Elasticsearch $ES_VERSION, security $ES_SECURITY, pids $(instance_pids "$d" | xargs)"
      rc=0
    else
      echo "not running: '$INSTANCE' ($d; \`start\` brings it back with its data)"
    fi
    print_url_line "$ES_URL"
    return "$rc"
  fi
  if [[ -f $CURRENT ]]; then
    cur=$(cat "$CURRENT")
    if load_instance "$cur" && instance_alive "$cur"; then
      if health_ok "$ES_PORT" "$ES_PASSWORD" "$ES_SECURITY"; then
        echo "running: Elasticsearch $ES_VERSION, security $ES_SECURITY, pids $(instance_pids "$cur" | xargs)"
        rc=0
      else
        echo "process running but not healthy (yet): Elasticsearch $ES_VERSION, pids $(instance_pids "$cur" | xargs)"
      fi
      print_url_line "$ES_URL"
    else
      echo "not running (stale record: $cur; \`start\` or \`stop\` cleans it up)"
    fi
  else
    echo "not running (no instance recorded)"
  fi
  while IFS= read -r d; do
    [[ -n $d && $d != "${cur:-}" ]] || continue
    if instance_alive "$d"; then echo "also running (not current): $d"; fi
  done < <(all_instance_dirs)
  return "$rc"
}

# ---------------------------------------------------------------- main
main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    fetch) need flock; take_lock; fetch ;;
    start) start "$@" ;;
    stop) stop "$@" ;;
    status) status "$@" ;;
    -h | --help | help) usage ;;
    "") usage; exit 2 ;;
    *) usage; die "unknown command: $cmd" ;;
  esac
}

main "$@"
