#!/usr/bin/env bash
# Checks a built kinesis-agent .rpm without installing it and without root, as verify-deb.sh checks a .deb:
#   - header: name, version, release, architecture, licence; Requires exactly as listed below, with the glibc
#     version its binaries need (their newest GLIBC_x.y symbol version, at most the target systems' glibc);
#     no Provides beyond the package itself, no Conflicts or Obsoletes (packaging/README.md says why)
#   - the exact list of files, with modes, owners, rpm's file flags and the symlink target; agent.json the only
#     configuration file, %config(noreplace)
#   - the scriptlets (`rpm -qp --scripts`): /bin/sh, set -e, `sh -n`, `dash -n`, shellcheck when installed; then each
#     is run with stand-ins for systemctl, getent and the user tools, in the situations rpm runs it in (install,
#     upgrade, erase; systemd running or not), and what it asked for is compared with SCRIPTLET_RUNS
#   - the payload (rpm2cpio | cpio): the sample agent.json parses, the unit has the settings the service relies on,
#     the binaries are ELF files for the package's architecture, and the program runs (SMOKE in verify-common.sh,
#     the other architecture under qemu when installed), through the /usr/bin symlink, with no writable HOME or TMPDIR
#
#   packaging/verify-rpm.sh RPM [VERSION]
#
# Prints one line per failed check and "verify-rpm.sh: OK ..." at the end; exits 1 if anything failed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=packaging/verify-common.sh
. "$here/verify-common.sh"

# The glibc of the systems the package is for: Amazon Linux 2023 and RHEL 9 both ship 2.34.
TARGET_GLIBC=2.34

# Every entry: mode, owner/group, rpm's file flags (c = %config, n = noreplace), path (symlinks: -> target).
EXPECTED=(
  "drwxr-x--- root/kinesis-agent - /etc/kinesis-agent"
  "drwxr-xr-x root/root - /etc/kinesis-agent/agent.d"
  "-rw-r--r-- root/root cn /etc/kinesis-agent/agent.json"
  "lrwxrwxrwx root/root - /usr/bin/kinesis-agent -> ../lib/kinesis-agent/kinesis-agent"
  "drwxr-xr-x root/root - /usr/lib/kinesis-agent"
  "-rwxr-xr-x root/root - /usr/lib/kinesis-agent/kinesis-agent"
  "-rw-r--r-- root/root - /usr/lib/kinesis-agent/libe_sqlite3.so"
  "-rw-r--r-- root/root - /usr/lib/systemd/system/kinesis-agent.service"
  "drwxr-x--- kinesis-agent/kinesis-agent - /var/lib/kinesis-agent"
)

# Requires besides rpmlib()'s and the scriptlets' /bin/sh; {isa} is the architecture's tag, {glibc} the version the
# binaries need.
REQUIRES=(
  "ca-certificates"
  "glibc{isa} >= {glibc}"
  "glibc-common"
  "openssl-libs{isa}"
  "shadow-utils"
)

# Scriptlet runs: scriptlet, its argument ($1: versions installed once the step is over), whether systemd is
# running, whether the user kinesis-agent exists; after "=>", the commands it must ask for, in order, separated
# by " ; " (getent's lookups are not listed). A fresh install starts and enables nothing; an upgrade restarts a
# running service once; an erase stops and disables it.
SCRIPTLET_RUNS=(
  "pre 1 running new => groupadd --system kinesis-agent ; useradd --system --gid kinesis-agent --no-create-home --home-dir /var/lib/kinesis-agent --shell /sbin/nologin --comment Kinesis Agent kinesis-agent ; usermod --append --groups adm kinesis-agent"
  "pre 2 running exists =>"
  "post 1 running new => systemctl daemon-reload"
  "post 1 none new =>"
  "post 2 running exists => systemctl daemon-reload"
  "preun 1 running exists =>"
  "preun 0 running exists => systemctl --no-reload disable --now kinesis-agent.service"
  "preun 0 none exists => systemctl --no-reload disable kinesis-agent.service"
  "postun 1 running exists => systemctl daemon-reload ; systemctl try-restart kinesis-agent.service"
  "postun 1 none exists =>"
  "postun 0 running exists => systemctl daemon-reload"
)

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 RPM [VERSION]" >&2
  exit 2
fi
rpm_path=$1
want_version=${2:-}
if [[ ! -f $rpm_path ]]; then
  echo "verify-rpm.sh: $rpm_path does not exist" >&2
  exit 1
fi
for tool in rpm rpm2cpio cpio; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "verify-rpm.sh: $tool is missing (Debian/Ubuntu packages 'rpm' and 'cpio'; ./build.sh package installs them)" >&2
    exit 1
  fi
done

failures=0
fail() {
  echo "verify-rpm.sh: FAIL: $*" >&2
  failures=$((failures + 1))
}
note() { echo "verify-rpm.sh: $*"; }

file_name=$(basename "$rpm_path")
if [[ ! $file_name =~ ^kinesis-agent-([^-]+)-([^-]+)\.(x86_64|aarch64)\.rpm$ ]]; then
  fail "$file_name is not named kinesis-agent-<version>-<release>.<x86_64|aarch64>.rpm"
  exit 1
fi
name_version=${BASH_REMATCH[1]}
arch=${BASH_REMATCH[3]}
[[ -n $want_version ]] || want_version=$name_version
case "$arch" in
  x86_64) isa='(x86-64)' ;;
  aarch64) isa='(aarch-64)' ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- header
tag() { rpm -qp --nosignature --qf "%{$1}" "$rpm_path"; }
[[ $(tag NAME) == kinesis-agent ]] || fail "Name is '$(tag NAME)'"
[[ $(tag VERSION) == "$want_version" ]] || fail "Version is '$(tag VERSION)', expected '$want_version'"
[[ $(tag VERSION) == "$name_version" ]] || fail "Version '$(tag VERSION)' differs from the file name's '$name_version'"
[[ $(tag RELEASE) == 1 ]] || fail "Release is '$(tag RELEASE)', expected 1"
[[ $(tag ARCH) == "$arch" ]] || fail "Architecture is '$(tag ARCH)', expected '$arch'"
[[ $(tag LICENSE) == Apache-2.0 ]] || fail "License is '$(tag LICENSE)'"
[[ -n $(tag SUMMARY) && -n $(tag DESCRIPTION) ]] || fail "Summary or Description is empty"

root=$work/root
mkdir -p "$root"
rpm2cpio "$rpm_path" | (cd "$root" && cpio -idm --quiet --no-absolute-filenames) ||
  fail "rpm2cpio | cpio could not unpack the payload"

needed=$(glibc_needed "$root/usr/lib/kinesis-agent")
if [[ -z $needed ]]; then
  fail "found no GLIBC_x.y symbol version in the binaries (is readelf installed?)"
  needed=unknown
elif ! version_at_most "$needed" "$TARGET_GLIBC"; then
  fail "the binaries need glibc $needed; Amazon Linux 2023 and RHEL 9 have $TARGET_GLIBC"
else
  note "binaries need glibc $needed (Amazon Linux 2023 and RHEL 9: $TARGET_GLIBC)"
fi
rpm -qp --nosignature --requires "$rpm_path" | grep -v -e '^rpmlib(' -e '^/bin/sh$' | sort -u >"$work/requires"
for requirement in "${REQUIRES[@]}"; do
  requirement=${requirement//\{isa\}/$isa}
  printf '%s\n' "${requirement//\{glibc\}/$needed}"
done | sort >"$work/requires.expected"
if ! diff -u "$work/requires.expected" "$work/requires" >"$work/requires.diff"; then
  fail "Requires differ from REQUIRES in verify-rpm.sh (- expected, + actual):"
  sed -n '3,$p' "$work/requires.diff" | grep '^[-+]' >&2 || true
fi
provides=$(rpm -qp --nosignature --provides "$rpm_path" | sort | tr '\n' ' ')
[[ $provides == "kinesis-agent = $(tag VERSION)-1 kinesis-agent$isa = $(tag VERSION)-1 " ]] ||
  fail "Provides more than the package itself: $provides"
others=$(rpm -qp --nosignature --conflicts --obsoletes "$rpm_path")
[[ -z $others ]] || fail "Conflicts or Obsoletes are not empty: $others"

# --- contents: mode, owner, flags, path (and symlink target)
rpm -qp --nosignature --qf '[%{FILEMODES:perms} %{FILEUSERNAME}/%{FILEGROUPNAME} %{FILEFLAGS:fflags} %{FILENAMES} -> %{FILELINKTOS}\n]' "$rpm_path" |
  sed -e 's/ -> $//' -e 's|^\([^ ]* [^ ]*\)  |\1 - |' | sort >"$work/actual"
printf '%s\n' "${EXPECTED[@]}" | sort >"$work/expected"
if ! diff -u "$work/expected" "$work/actual" >"$work/contents.diff"; then
  fail "package contents differ from EXPECTED in verify-rpm.sh (- expected, + actual):"
  sed -n '3,$p' "$work/contents.diff" | grep '^[-+]' >&2 || true
fi
[[ $(rpm -qp --nosignature --configfiles "$rpm_path") == /etc/kinesis-agent/agent.json ]] ||
  fail "the configuration files must be exactly /etc/kinesis-agent/agent.json"

# --- scriptlets: text
rpm -qp --nosignature --scripts "$rpm_path" >"$work/scripts"
for kind in PRETRANS POSTTRANS TRIGGERSCRIPTS VERIFYSCRIPT; do
  [[ $(tag "$kind") == '(none)' ]] || fail "unexpected $kind scriptlet"
done
have_shellcheck=0
command -v shellcheck >/dev/null 2>&1 && have_shellcheck=1
for script in PREIN:pre POSTIN:post PREUN:preun POSTUN:postun; do
  kind=${script%%:*} name=${script#*:}
  if [[ $(tag "${kind}PROG") != /bin/sh ]]; then
    fail "%$name does not run with /bin/sh (see rpm -qp --scripts)"
    continue
  fi
  tag "$kind" >"$work/$name.sh"
  grep -qx 'set -e' "$work/$name.sh" || fail "%$name has no 'set -e' line"
  sh -n "$work/$name.sh" || fail "%$name: sh -n reports a syntax error"
  if command -v dash >/dev/null 2>&1; then
    dash -n "$work/$name.sh" || fail "%$name: dash -n reports a syntax error"
  fi
  if ((have_shellcheck)); then
    shellcheck --shell=sh "$work/$name.sh" >&2 || fail "%$name: shellcheck"
  fi
done
((have_shellcheck)) || note "shellcheck not installed: scriptlets checked with sh -n only"

# --- scriptlets: run with stand-ins that record what they are asked. "Systemd running" is the scriptlets' test of
# /run/systemd/system, pointed at a directory of the scratch area.
stubs=$work/stubs
mkdir -p "$stubs"
for command in systemctl groupadd useradd usermod; do
  cat >"$stubs/$command" <<'EOF'
#!/bin/sh
echo "$(basename "$0") $*" >>"$STUB_CALLS"
EOF
done
# getent: the group adm exists; the user and group kinesis-agent exist when STUB_USER_EXISTS is 1.
cat >"$stubs/getent" <<'EOF'
#!/bin/sh
[ "$1" = group ] && [ "$2" = adm ] && exit 0
[ "$2" = kinesis-agent ] && [ "$STUB_USER_EXISTS" = 1 ] && exit 0
exit 2
EOF
chmod 0755 "$stubs"/*
for run in "${SCRIPTLET_RUNS[@]}"; do
  read -r name argument systemd user <<<"${run%%=>*}"
  want=$(sed -e 's/^ *//' -e 's/ *$//' <<<"${run#*=>}")
  [[ -f $work/$name.sh ]] || continue
  running=$work/run-$systemd
  mkdir -p "$running"
  [[ $systemd == running ]] || rmdir "$running"
  sed "s|/run/systemd/system|$running|g" "$work/$name.sh" >"$work/$name.run.sh"
  : >"$work/calls"
  status=0
  STUB_CALLS=$work/calls STUB_USER_EXISTS=$([[ $user == exists ]] && echo 1 || echo 0) PATH="$stubs:$PATH" \
    sh "$work/$name.run.sh" "$argument" >"$work/scriptlet.out" 2>&1 || status=$?
  got=$(sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/ ; /g' "$work/calls")
  if ((status != 0)); then
    fail "%$name $argument (systemd $systemd, user $user) exited $status: $(head -c 300 "$work/scriptlet.out")"
  elif [[ $got != "$want" ]]; then
    fail "%$name $argument (systemd $systemd, user $user) asked for '${got}', expected '${want}'"
  else
    note "%$name $argument (systemd $systemd, user $user): ${got:-nothing}"
  fi
done

# --- payload: configuration, unit, binaries
check_sample_config "$root"
check_unit "$root/usr/lib/systemd/system/kinesis-agent.service"
check_elf "$root" "$arch"
run_smoke "$root" "$arch"

if ((failures > 0)); then
  echo "verify-rpm.sh: $failures check(s) failed for $file_name" >&2
  exit 1
fi
echo "verify-rpm.sh: OK $file_name ($(tag VERSION)-$(tag RELEASE), $arch, requires glibc >= $needed, $(du -h "$rpm_path" | cut -f1))"
