#!/usr/bin/env bash
# Checks a built kinesis-agent .deb without installing it and without root:
#   - control fields (name, version, architecture, maintainer, dependencies, size)
#   - the exact list of files, with modes, owners and the symlink target
#   - conffiles; maintainer scripts: POSIX sh, set -e, `sh -n`, shellcheck when installed
#   - the sample agent.json parses; the unit has the settings the service relies on
#     (and passes `systemd-analyze verify` when that is installed)
#   - the binaries are ELF files for the package's architecture, linked against no newer glibc than Depends names;
#     on a matching machine (or under qemu user-mode emulation, when installed with the architecture's C library)
#     the program runs (SMOKE in verify-common.sh), from the extracted tree, through the /usr/bin symlink, with no
#     writable HOME or TMPDIR.
#
#   packaging/verify-deb.sh DEB [VERSION]
#
# Prints one line per failed check and "verify-deb.sh: OK ..." at the end; exits 1 if anything failed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=packaging/verify-common.sh
. "$here/verify-common.sh"

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

check_sample_config "$root"
check_unit "$root/lib/systemd/system/kinesis-agent.service"
case "$arch" in
  amd64) machine_arch=x86_64 ;;
  arm64) machine_arch=aarch64 ;;
  *) machine_arch=$arch ;;
esac
check_elf "$root" "$machine_arch"

# The C library the package asks for must be at least the newest one any of its binaries was linked against.
if command -v readelf >/dev/null 2>&1; then
  libc_min=$(sed -n 's/.*libc6 (>= \([0-9.]*\)).*/\1/p' <<<"$depends")
  needed=$(glibc_needed "$root/usr/lib/kinesis-agent")
  if [[ -z $libc_min || -z $needed ]]; then
    fail "could not compare the C library versions (Depends asks for '${libc_min:-nothing}', binaries need '${needed:-nothing}')"
  elif ! version_at_most "$needed" "$libc_min"; then
    fail "the binaries need glibc $needed but Depends asks only for libc6 (>= $libc_min)"
  else
    note "binaries need glibc $needed; Depends: libc6 (>= $libc_min)"
  fi
else
  note "readelf not installed: glibc symbol versions not checked"
fi

run_smoke "$root" "$machine_arch"

if ((failures > 0)); then
  echo "verify-deb.sh: $failures check(s) failed for $file_name" >&2
  exit 1
fi
echo "verify-deb.sh: OK $file_name ($(field Version), $arch, $(du -h "$deb" | cut -f1))"
