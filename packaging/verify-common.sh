# Checks of an unpacked kinesis-agent package that do not depend on its format, sourced by verify-deb.sh and
# verify-rpm.sh. The sourcing script defines fail MESSAGE and note MESSAGE, and $work (a scratch directory).
# Architectures are named as the kernel does: x86_64, aarch64.
# shellcheck shell=bash
# shellcheck disable=SC2154 # $work is the sourcing script's

# Program runs: expected exit code, then the arguments; {root} is the unpacked package.
SMOKE=(
  "0 --help"
  "0 --version"
  "0 check-config -c {root}/etc/kinesis-agent/agent.json"
  "2 no-such-command"
)

# Unit settings the package and the agent depend on.
UNIT_SETTINGS=(
  "Type=notify"
  "ExecStart=/usr/bin/kinesis-agent run -c /etc/kinesis-agent/agent.json"
  "User=kinesis-agent"
  "Group=kinesis-agent"
  "SupplementaryGroups=adm"
  "StateDirectory=kinesis-agent"
  "ConfigurationDirectory=kinesis-agent"
  "Restart=on-failure"
  "RestartSec=5"
  "TimeoutStopSec=45"
  "KillSignal=SIGTERM"
  "ProtectSystem=strict"
  "ReadWritePaths=/var/lib/kinesis-agent"
  "ProtectHome=read-only"
  "WantedBy=multi-user.target"
)
# Settings that would hide or block log files (see the unit's comments).
UNIT_FORBIDDEN=(PrivateTmp=yes PrivateTmp=true ProtectHome=yes ProtectHome=true ProtectHome=tmpfs
  PrivateUsers=yes PrivateUsers=true DynamicUser=yes DynamicUser=true MemoryDenyWriteExecute=yes)

# The binaries in /usr/lib/kinesis-agent of an unpacked package (or of a publish directory).
BINARIES=(kinesis-agent libe_sqlite3.so)

# check_sample_config ROOT: the sample agent.json parses and names the sample flow.
check_sample_config() {
  local config=$1/etc/kinesis-agent/agent.json
  if command -v python3 >/dev/null 2>&1; then
    if ! python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
f = c["flows"]
assert len(f) == 1 and f[0]["filePattern"] == "/var/log/app/*.log" and f[0]["kinesisStream"] == "my-stream"' \
      "$config" 2>"$work/json.err"; then
      fail "agent.json is not valid JSON with one flow /var/log/app/*.log -> my-stream: $(tail -n1 "$work/json.err")"
    fi
  elif command -v jq >/dev/null 2>&1; then
    jq -e '.flows | length == 1 and .[0].filePattern == "/var/log/app/*.log" and .[0].kinesisStream == "my-stream"' \
      "$config" >/dev/null || fail "agent.json is not valid JSON with one flow /var/log/app/*.log -> my-stream"
  else
    note "neither python3 nor jq installed: agent.json not parsed"
  fi
}

# check_unit UNIT_FILE: the settings the service relies on, none that hide logs, and systemd's own opinion.
check_unit() {
  local unit=$1 setting
  for setting in "${UNIT_SETTINGS[@]}"; do
    grep -qxF "$setting" "$unit" || fail "unit lacks '$setting'"
  done
  for setting in "${UNIT_FORBIDDEN[@]}"; do
    if grep -qxF "$setting" "$unit"; then fail "unit has '$setting', which hides or blocks log files"; fi
  done
  if command -v systemd-analyze >/dev/null 2>&1; then
    # The program is not installed at /usr/bin here, so that one complaint is expected; anything else
    # (an unknown key, a bad value) fails.
    if ! systemd-analyze verify "$unit" >"$work/analyze" 2>&1; then :; fi
    if grep -v 'Command /usr/bin/kinesis-agent is not executable' "$work/analyze" >"$work/analyze.rest"; then
      fail "systemd-analyze verify:"
      cat "$work/analyze.rest" >&2
    fi
  else
    note "systemd-analyze not installed: unit not verified by systemd"
  fi
}

# check_elf ROOT ARCH: both binaries are ELF files for ARCH.
check_elf() {
  local root=$1 arch=$2 machine binary path
  # ELF header: bytes 18-19 are the machine (little-endian).
  case "$arch" in
    x86_64) machine=3e00 ;;
    aarch64) machine=b700 ;;
    *) machine=unknown ;;
  esac
  for binary in "${BINARIES[@]}"; do
    path=$root/usr/lib/kinesis-agent/$binary
    if [[ ! -f $path ]]; then
      fail "$binary is missing"
    elif [[ $(head -c4 "$path" | od -An -c | tr -d ' \n') != 177ELF ]]; then
      fail "$binary is not an ELF file"
    elif [[ $(od -An -tx1 -j18 -N2 "$path" | tr -d ' \n') != "$machine" ]]; then
      fail "$binary is built for ELF machine $(od -An -tx1 -j18 -N2 "$path" | tr -d ' \n'), not $arch"
    fi
  done
}

# glibc_needed DIR: prints the newest GLIBC_x.y symbol version any binary in DIR needs (nothing if none, or no
# readelf). build-rpm.sh derives the package's glibc requirement from it; the checks compare against it.
glibc_needed() {
  local dir=$1 binary
  command -v readelf >/dev/null 2>&1 || return 0
  for binary in "${BINARIES[@]}"; do
    readelf --dyn-syms -W "$dir/$binary" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' || true
  done | sed 's/GLIBC_//' | sort -V | tail -n 1
}

# version_at_most A B: true if version A sorts at or before B.
version_at_most() {
  [[ $(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n 1) == "$2" ]]
}

# run_smoke ROOT ARCH: runs the program of the unpacked package (SMOKE), through the /usr/bin symlink, with no
# writable HOME or TMPDIR; another architecture's program under qemu's user-mode emulation when that is installed.
run_smoke() {
  local root=$1 arch=$2 emulator sysroot loader run want got
  local -a runner=() words args
  case "$arch" in
    x86_64) emulator=qemu-x86_64 sysroot=/usr/x86_64-linux-gnu loader=/lib64/ld-linux-x86-64.so.2 ;;
    aarch64) emulator=qemu-aarch64 sysroot=/usr/aarch64-linux-gnu loader=/lib/ld-linux-aarch64.so.1 ;;
    *) emulator="" sysroot="" loader="" ;;
  esac
  # The architecture's C library is needed as a multiarch package (its loader in /lib), or else as the
  # cross-compiling sysroot. Not both mixed: with -L pointing at the sysroot while the multiarch libraries exist,
  # the loaded libraries disagree and the program spins at start.
  if [[ $(uname -m) != "$arch" && -n $emulator ]] && command -v "$emulator" >/dev/null 2>&1; then
    if [[ -e $loader ]]; then
      runner=("$emulator")
    elif [[ -d $sysroot/lib ]]; then
      runner=("$emulator" -L "$sysroot")
    fi
  fi
  if [[ $(uname -m) != "$arch" && ${#runner[@]} -eq 0 ]]; then
    note "the $arch program is not run on this $(uname -m) machine (its ELF header is checked; install $emulator to run it)"
    return 0
  fi
  [[ ${#runner[@]} -eq 0 ]] || note "running the $arch program under ${runner[*]}"
  for run in "${SMOKE[@]}"; do
    read -r -a words <<<"$run"
    want=${words[0]}
    args=("${words[@]:1}")
    args=("${args[@]//\{root\}/$root}")
    # No writable HOME or TMPDIR: the service has neither, so nothing may need extracting at run time.
    got=0
    HOME=/nonexistent TMPDIR=/nonexistent DOTNET_BUNDLE_EXTRACT_BASE_DIR='' timeout 60 \
      ${runner[@]+"${runner[@]}"} "$root/usr/bin/kinesis-agent" "${args[@]}" >"$work/smoke.out" 2>&1 || got=$?
    if [[ $got != "$want" ]]; then
      fail "kinesis-agent ${args[*]} exited $got, expected $want; output:"
      head -n 20 "$work/smoke.out" >&2
    else
      note "kinesis-agent ${args[*]:-(no arguments)} -> exit $got"
    fi
  done
}
