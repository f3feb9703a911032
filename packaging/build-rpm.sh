#!/usr/bin/env bash
# Builds kinesis-agent-<version>-1.<arch>.rpm (Amazon Linux 2023, RHEL 9) from a published agent (dotnet publish
# output), with packaging/rpm/kinesis-agent.spec.
#
#   packaging/build-rpm.sh ARCH VERSION PUBLISH_DIR OUT_DIR
#
# ARCH is an RPM architecture (x86_64, aarch64); VERSION an RPM version (0.1.0, 0.2.0~rc.1). The layout is the
# .deb's (build-deb.sh), except the unit: /usr/lib/systemd/system/kinesis-agent.service. The package requires the
# glibc its binaries were linked against: the newest GLIBC_x.y among their versioned symbols.
# Needs rpmbuild (Debian/Ubuntu package 'rpm') and readelf (binutils); no root.
set -euo pipefail

if [[ $# -ne 4 ]]; then
  echo "usage: $0 ARCH VERSION PUBLISH_DIR OUT_DIR" >&2
  exit 2
fi
arch=$1 version=$2 publish=$3 out=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=packaging/verify-common.sh
. "$here/verify-common.sh"

case "$arch" in
  x86_64 | aarch64) ;;
  *)
    echo "build-rpm.sh: unsupported architecture '$arch' (x86_64 or aarch64)" >&2
    exit 2
    ;;
esac
# rpm versions take no '-' (it separates the release); '~' sorts before anything, as in Debian.
if [[ ! $version =~ ^[0-9][A-Za-z0-9.+~^]*$ ]]; then
  echo "build-rpm.sh: '$version' is not an RPM version" >&2
  exit 2
fi
if [[ ! -x $publish/kinesis-agent ]]; then
  echo "build-rpm.sh: $publish/kinesis-agent is missing: publish the agent first (./build.sh package)" >&2
  exit 1
fi
for tool in rpmbuild readelf; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build-rpm.sh: $tool is missing (Debian/Ubuntu packages 'rpm' and 'binutils'; ./build.sh package installs them)" >&2
    exit 1
  fi
done
publish=$(cd "$publish" && pwd)

glibc_min=$(glibc_needed "$publish")
if [[ ! $glibc_min =~ ^[0-9]+\.[0-9]+(\.[0-9]+)?$ ]]; then
  echo "build-rpm.sh: found no GLIBC_x.y symbol version in $publish/{${BINARIES[*]}}" >&2
  exit 1
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
top=$(mktemp -d "$out/.rpm-top-$arch.XXXXXX")
trap 'rm -rf "$top"' EXIT

# Same input, same .rpm: file times and the build time are the last commit's.
if [[ -z ${SOURCE_DATE_EPOCH:-} ]] && git -C "$here" rev-parse --git-dir >/dev/null 2>&1; then
  SOURCE_DATE_EPOCH=$(git -C "$here" log -1 --format=%ct)
  export SOURCE_DATE_EPOCH
fi

# The build machine's rpm database and ~/.rpmmacros play no part: everything rpmbuild writes is under $top.
rpmbuild -bb --quiet --target "$arch-linux" \
  --define "_topdir $top" \
  --define "_rpmdir $top/RPMS" \
  --define "_build_name_fmt %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm" \
  --define "kinesis_version $version" \
  --define "glibc_min $glibc_min" \
  --define "publish_dir $publish" \
  --define "packaging_dir $here" \
  "$here/rpm/kinesis-agent.spec" >"$top/rpmbuild.log" 2>&1 || {
  cat "$top/rpmbuild.log" >&2
  echo "build-rpm.sh: rpmbuild failed" >&2
  exit 1
}

rpm_file=kinesis-agent-$version-1.$arch.rpm
if [[ ! -f $top/RPMS/$rpm_file ]]; then
  cat "$top/rpmbuild.log" >&2
  echo "build-rpm.sh: rpmbuild left no $rpm_file" >&2
  exit 1
fi
mv -f "$top/RPMS/$rpm_file" "$out/$rpm_file"
echo "build-rpm.sh: $out/$rpm_file ($(du -h "$out/$rpm_file" | cut -f1); requires glibc >= $glibc_min)"
