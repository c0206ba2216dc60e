# Shared by the scripts in jobs/ (sourced, not run): the project folder, the JVM flags, the runtime
# classpath, the server jars, and processes started in the background and stopped by their ids.
#
# The sourcing script sets prog (its name in messages) first; this file sets home (the project
# folder) and flags (the JVM flags Spark needs on Java 17, listed once in conf/jvm.properties).
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
flags="$(sed -n 's/^jvm\.flags\.java17=//p' "$home/conf/jvm.properties")"

die() { echo "${prog:-jobs}: $*" >&2; exit 2; }

# gc_flags COMMAND [USER_OPTS]: the garbage collector the launcher picks for COMMAND. The commands
# that stream the log on the driver (verify, coverage, show, files) get the serial collector: their
# live set is small (a round of batches, one bit per example), they allocate short-lived arrays by
# the million, and on a small machine G1's concurrent threads compete with the decoding workers
# for the cores (measured on 2 cores, 10 million rows, -Xmx256m: verify 7.0-7.5 s with G1, 6.5 s
# with the serial collector; README "Reading at scale"). Every other command keeps the JVM's choice:
# train, report, dynamics and query run Spark, whose heaps are larger. A collector named in
# USER_OPTS (BATCH_AUDIT_JAVA_OPTS) wins: then nothing is added.
gc_flags() {
  case "${2:-}" in *-XX:+Use*GC*) return 0 ;; esac
  case "${1:-}" in verify | coverage | show | files) echo "-XX:+UseSerialGC" ;; esac
}

# runtime_classpath: prints the project's runtime classpath (target/runtime-classpath.txt),
# resolving it with Maven first when it is missing or older than pom.xml.
runtime_classpath() {
  local cp_file="$home/target/runtime-classpath.txt"
  if [[ ! -f "$cp_file" || "$home/pom.xml" -nt "$cp_file" ]]; then
    echo "${prog:-jobs}: resolving the runtime jars (mvn dependency:build-classpath) ..." >&2
    mvn -q -B -Dstyle.color=never -f "$home/pom.xml" dependency:build-classpath -DincludeScope=runtime \
      -Dmdep.outputFile="$cp_file" >&2
  fi
  cat "$cp_file"
}

# server_jars EXECUTION: resolves the storage servers' jars of jobs/servers/pom.xml into
# target/servers/ (execution hdfs: hdfs-classpath.txt; s3proxy: the S3Proxy jar) when missing.
server_jars() {
  local marker="$home/target/servers/.$1"
  if [[ ! -f "$marker" || "$home/jobs/servers/pom.xml" -nt "$marker" ]]; then
    echo "${prog:-jobs}: resolving the $1 server jars (mvn -f jobs/servers/pom.xml) ..." >&2
    mkdir -p "$home/target/servers"
    mvn -q -B -Dstyle.color=never -f "$home/jobs/servers/pom.xml" "dependency:$2@$1" >&2
    touch "$marker"
  fi
}

# start_time PID: the process's start time in clock ticks since boot (field 22 of /proc/PID/stat),
# which tells a process from a later one that got the same id.
start_time() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  # the command name (field 2) may hold spaces; count fields after its closing parenthesis
  stat="${stat##*) }"
  awk '{print $20}' <<< "$stat"
}

# record_pid PIDFILE PID: PIDFILE holds the id; PIDFILE.start its start time.
record_pid() {
  echo "$2" > "$1"
  start_time "$2" > "$1.start"
}

# children PID: "pid start-time" of every child process of PID, one a line (from /proc).
children() {
  local stat line fields
  for stat in /proc/[0-9]*/stat; do
    line="$(cat "$stat" 2>/dev/null)" || continue
    read -r -a fields <<< "${line##*) }" # fields[1]: the parent's id, fields[19]: start time
    [[ "${fields[1]:-}" == "$1" ]] && echo "${line%% *} ${fields[19]}"
  done
  return 0
}

# stop_process PID START: stops process PID (TERM, then KILL after 10 s), and only while it is the
# process that started at START (a later process that got the same id is left alone).
stop_process() {
  local i
  [[ "$(start_time "$1")" == "$2" ]] || return 0
  kill "$1" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    [[ "$(start_time "$1")" == "$2" ]] || return 0
    sleep 0.1
  done
  kill -9 "$1" 2>/dev/null || true
}

# alive PIDFILE: true when the recorded process still runs, and is the one recorded (same start time).
alive() {
  [[ -f "$1" ]] || return 1
  local pid
  pid="$(cat "$1")"
  kill -0 "$pid" 2>/dev/null || return 1
  [[ ! -f "$1.start" ]] || [[ "$(start_time "$pid")" == "$(cat "$1.start")" ]]
}

# stop_pid PIDFILE: stops the recorded process (TERM, then KILL after 10 s), only when alive says
# it is still the process that was started; removes the record either way.
stop_pid() {
  [[ -f "$1" ]] || return 0
  if alive "$1"; then
    local pid i
    pid="$(cat "$1")"
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      alive "$1" || break
      sleep 0.1
    done
    if alive "$1"; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$1" "$1.start"
}

# await FILE PATTERN SECONDS WHAT [PIDFILE]: waits until FILE holds a line matching PATTERN; fails
# after SECONDS, or as soon as the process of PIDFILE has exited.
await() {
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    if [[ -n "${5:-}" ]] && ! alive "$5"; then
      die "$4 exited before it was ready; see $1"
    fi
    sleep 0.1
  done
  die "$4 did not start within $3 s; see $1"
}

# xml_property NAME VALUE: one <property> of a Hadoop configuration file (values are XML-escaped).
xml_property() {
  local v="$2"
  v="${v//&/&amp;}"
  v="${v//</&lt;}"
  v="${v//>/&gt;}"
  printf '  <property><name>%s</name><value>%s</value></property>\n' "$1" "$v"
}
