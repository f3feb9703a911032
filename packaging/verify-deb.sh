#!/usr/bin/env bash
# Checks a built kinesis-agent .deb without installing it and without root:
#   - control fields (name, version, architecture, maintainer, dependencies, size)
#   - the exact list of files, with modes, owners and the symlink target
#   - conffiles; maintainer scripts: POSIX sh, set -e, `sh -n`, shellcheck when installed
#   - the sample agent.json parses; the unit has the settings the service relies on
#     (and passes `systemd-analyze verify` when that is installed)
#   - the binaries are ELF files for the package's architecture, linked against no newer glibc than Depends names;
#     on a matching machine (or under qemu user-mode emulation, when installed with the architecture's C library)
#     the program runs (SMOKE below), from the extracted tree, through the /usr/bin symlink, with no writable HOME
#     or TMPDIR.
#
#   packaging/verify-deb.sh DEB [VERSION]
#
# Prints one line per failed check and "verify-deb.sh: OK ..." at the end; exits 1 if anything failed.
set -euo pipefail

# Program runs: expected exit code, then the arguments; {root} is the extracted package. The placeholder
# program takes no arguments; once the real one lands, add for instance:
#   0 --help
#   0 check-config -c {root}/etc/kinesis-agent/agent.json
SMOKE=(
  "0 --help"
  "0 --version"
  "0 check-config -c {root}/etc/kinesis-agent/agent.json"
  "2 no-such-command"
)

# Every entry of the package: type and mode, path (symlinks: path -> target). Anything else is an error.
EXPECTED=(
  "drwxr-xr-x ./"
  "drwxr-xr-x ./etc/"
  "drwxr-xr-x ./etc/kinesis-agent/"
  "drwxr-xr-x ./etc/kinesis-agent/agent.d/"
  "-rw-r--r-- ./etc/kinesis-agent/agent.json"
  "drwxr-xr-x ./lib/"
  "drwxr-xr-x ./lib/systemd/"
  "drwxr-xr-x ./lib/systemd/system/"
  "-rw-r--r-- ./lib/systemd/system/kinesis-agent.service"
  "drwxr-xr-x ./usr/"
  "drwxr-xr-x ./usr/bin/"
  "lrwxrwxrwx ./usr/bin/kinesis-agent -> ../lib/kinesis-agent/kinesis-agent"
  "drwxr-xr-x ./usr/lib/"
  "drwxr-xr-x ./usr/lib/kinesis-agent/"
  "-rwxr-xr-x ./usr/lib/kinesis-agent/kinesis-agent"
  "-rw-r--r-- ./usr/lib/kinesis-agent/libe_sqlite3.so"
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

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 DEB [VERSION]" >&2
  exit 2
fi
deb=$1
want_version=${2:-}
if [[ ! -f $deb ]]; then
  echo "verify-deb.sh: $deb does not exist" >&2
  exit 1
fi

failures=0
fail() {
  echo "verify-deb.sh: FAIL: $*" >&2
  failures=$((failures + 1))
}
note() { echo "verify-deb.sh: $*"; }

file_name=$(basename "$deb")
if [[ ! $file_name =~ ^kinesis-agent_([^_]+)_([a-z0-9]+)\.deb$ ]]; then
  fail "$file_name is not named kinesis-agent_<version>_<arch>.deb"
  exit 1
fi
name_version=${BASH_REMATCH[1]}
arch=${BASH_REMATCH[2]}
[[ -n $want_version ]] || want_version=$name_version

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- control fields
field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == kinesis-agent ]] || fail "Package is '$(field Package)'"
[[ $(field Version) == "$want_version" ]] || fail "Version is '$(field Version)', expected '$want_version'"
[[ $(field Version) == "$name_version" ]] || fail "Version '$(field Version)' differs from the file name's '$name_version'"
[[ $(field Architecture) == "$arch" ]] || fail "Architecture is '$(field Architecture)', expected '$arch'"
[[ $(field Maintainer) == Kinesis.Clients ]] || fail "Maintainer is '$(field Maintainer)'"
[[ -n $(field Description) ]] || fail "Description is empty"
[[ $(field Installed-Size) =~ ^[0-9]+$ ]] || fail "Installed-Size is '$(field Installed-Size)'"
depends=$(field Depends)
for dep in "libc6 (>= " "ca-certificates" "libssl3"; do
  [[ $depends == *"$dep"* ]] || fail "Depends lacks '$dep': $depends"
done

# --- contents: type, mode, owner, path (and symlink target)
dpkg-deb --contents "$deb" |
  awk '{ line = $1 " " $2 " "; for (i = 6; i <= NF; i++) line = line $i (i < NF ? " " : ""); print line }' |
  sort >"$work/actual"
for entry in "${EXPECTED[@]}"; do
  mode=${entry%% *}
  printf '%s root/root %s\n' "$mode" "${entry#* }"
done | sort >"$work/expected"
if ! diff -u "$work/expected" "$work/actual" >"$work/contents.diff"; then
  fail "package contents differ from EXPECTED in verify-deb.sh (- expected, + actual):"
  sed -n '3,$p' "$work/contents.diff" | grep '^[-+]' >&2 || true
fi

# --- control archive: conffiles and maintainer scripts
dpkg-deb --control "$deb" "$work/control"
if [[ $(cat "$work/control/conffiles" 2>/dev/null) != /etc/kinesis-agent/agent.json ]]; then
  fail "conffiles must list exactly /etc/kinesis-agent/agent.json"
fi
have_shellcheck=0
command -v shellcheck >/dev/null 2>&1 && have_shellcheck=1
for script in postinst prerm postrm; do
  path=$work/control/$script
  if [[ ! -f $path ]]; then
    fail "DEBIAN/$script is missing"
    continue
  fi
  [[ -x $path ]] || fail "DEBIAN/$script is not executable"
  [[ $(head -n1 "$path") == '#!/bin/sh' ]] || fail "DEBIAN/$script does not start with #!/bin/sh"
  grep -qx 'set -e' "$path" || fail "DEBIAN/$script has no 'set -e' line"
  sh -n "$path" || fail "DEBIAN/$script: sh -n reports a syntax error"
  if command -v dash >/dev/null 2>&1; then
    dash -n "$path" || fail "DEBIAN/$script: dash -n reports a syntax error"
  fi
  if ((have_shellcheck)); then
    shellcheck --shell=sh "$path" >&2 || fail "DEBIAN/$script: shellcheck"
  fi
done
((have_shellcheck)) || note "shellcheck not installed: maintainer scripts checked with sh -n only"

# --- data: configuration, unit, binaries
root=$work/root
dpkg-deb --extract "$deb" "$root"

config=$root/etc/kinesis-agent/agent.json
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

unit=$root/lib/systemd/system/kinesis-agent.service
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

# ELF header: byte 4 is the class (2 = 64-bit), bytes 18-19 the machine (little-endian).
elf_machine() { od -An -tx1 -j18 -N2 "$1" | tr -d ' \n'; }
case "$arch" in
  amd64) machine=3e00 ;;
  arm64) machine=b700 ;;
  *) machine=unknown ;;
esac
for binary in kinesis-agent libe_sqlite3.so; do
  path=$root/usr/lib/kinesis-agent/$binary
  [[ -f $path ]] || continue
  if [[ $(head -c4 "$path" | od -An -c | tr -d ' \n') != 177ELF ]]; then
    fail "$binary is not an ELF file"
  elif [[ $(elf_machine "$path") != "$machine" ]]; then
    fail "$binary is built for ELF machine $(elf_machine "$path"), not $arch"
  fi
done

# The C library the package asks for must be at least the newest one any of its binaries was linked against.
if command -v readelf >/dev/null 2>&1; then
  libc_min=$(sed -n 's/.*libc6 (>= \([0-9.]*\)).*/\1/p' <<<"$depends")
  needed=$(for binary in kinesis-agent libe_sqlite3.so; do
    readelf --dyn-syms -W "$root/usr/lib/kinesis-agent/$binary" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' || true
  done | sed 's/GLIBC_//' | sort -V | tail -n 1)
  if [[ -z $libc_min || -z $needed ]]; then
    fail "could not compare the C library versions (Depends asks for '${libc_min:-nothing}', binaries need '${needed:-nothing}')"
  elif [[ $(printf '%s\n%s\n' "$needed" "$libc_min" | sort -V | tail -n 1) != "$libc_min" ]]; then
    fail "the binaries need glibc $needed but Depends asks only for libc6 (>= $libc_min)"
  else
    note "binaries need glibc $needed; Depends: libc6 (>= $libc_min)"
  fi
else
  note "readelf not installed: glibc symbol versions not checked"
fi

host_arch=$(dpkg --print-architecture 2>/dev/null || true)
if [[ -z $host_arch ]]; then
  case "$(uname -m)" in
    x86_64) host_arch=amd64 ;;
    aarch64) host_arch=arm64 ;;
  esac
fi
# Another architecture's program runs under qemu's user-mode emulation when that architecture's C library is
# installed: as a multiarch package (its loader in /lib), or else as the cross-compiling sysroot. Not both mixed:
# with -L pointing at the sysroot while the multiarch libraries exist, the loaded libraries disagree and the
# program spins at start.
runner=()
case "$arch" in
  amd64) emulator=qemu-x86_64 sysroot=/usr/x86_64-linux-gnu loader=/lib64/ld-linux-x86-64.so.2 ;;
  arm64) emulator=qemu-aarch64 sysroot=/usr/aarch64-linux-gnu loader=/lib/ld-linux-aarch64.so.1 ;;
  *) emulator="" sysroot="" loader="" ;;
esac
if [[ $host_arch != "$arch" && -n $emulator ]] && command -v "$emulator" >/dev/null 2>&1; then
  if [[ -e $loader ]]; then
    runner=("$emulator")
  elif [[ -d $sysroot/lib ]]; then
    runner=("$emulator" -L "$sysroot")
  fi
fi
if [[ $host_arch == "$arch" || ${#runner[@]} -gt 0 ]]; then
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
else
  note "the $arch program is not run on this ${host_arch:-unknown} machine (its ELF header is checked; install $emulator to run it)"
fi

if ((failures > 0)); then
  echo "verify-deb.sh: $failures check(s) failed for $file_name" >&2
  exit 1
fi
echo "verify-deb.sh: OK $file_name ($(field Version), $arch, $(du -h "$deb" | cut -f1))"
