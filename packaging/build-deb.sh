#!/usr/bin/env bash
# Builds kinesis-agent_<version>_<arch>.deb from a published agent (dotnet publish output).
#
#   packaging/build-deb.sh ARCH VERSION PUBLISH_DIR OUT_DIR
#
# ARCH is a Debian architecture (amd64, arm64); VERSION a Debian version (0.1.0, 0.2.0~rc.1). The layout:
#   /usr/lib/kinesis-agent/kinesis-agent      the single-file program (0755)
#   /usr/lib/kinesis-agent/libe_sqlite3.so    SQLite, beside it and never extracted at run time (0644)
#   /usr/bin/kinesis-agent                    symlink to the program
#   /lib/systemd/system/kinesis-agent.service
#   /etc/kinesis-agent/agent.json             sample configuration (conffile)
#   /etc/kinesis-agent/agent.d/               fragments, empty
# Needs only dpkg-deb (>= 1.19, for --root-owner-group); no root, no fakeroot.
set -euo pipefail

if [[ $# -ne 4 ]]; then
  echo "usage: $0 ARCH VERSION PUBLISH_DIR OUT_DIR" >&2
  exit 2
fi
arch=$1 version=$2 publish=$3 out=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

case "$arch" in
  amd64 | arm64) ;;
  *)
    echo "build-deb.sh: unsupported architecture '$arch' (amd64 or arm64)" >&2
    exit 2
    ;;
esac
if [[ ! $version =~ ^[0-9][A-Za-z0-9.+~-]*$ ]]; then
  echo "build-deb.sh: '$version' is not a Debian version" >&2
  exit 2
fi
if [[ ! -x $publish/kinesis-agent ]]; then
  echo "build-deb.sh: $publish/kinesis-agent is missing: publish the agent first (./build.sh package)" >&2
  exit 1
fi
if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "build-deb.sh: dpkg-deb is missing (Debian/Ubuntu package 'dpkg'; ./build.sh package installs it)" >&2
  exit 1
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
deb=$out/kinesis-agent_${version}_${arch}.deb
root=$(mktemp -d "$out/.deb-root-$arch.XXXXXX")
trap 'rm -rf "$root"' EXIT
# mktemp makes the directory 0700; it becomes "./" in the package.
chmod 0755 "$root"

install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/usr/lib/kinesis-agent" \
  "$root/lib/systemd/system" "$root/etc/kinesis-agent/agent.d"

# Everything the publish produced ships: a native library added later must not be left behind.
# The native program's symbols (.dbg) are moved out before this runs and XML docs are not generated, so there is
# nothing to filter.
for file in "$publish"/*; do
  name=$(basename "$file")
  if [[ $name == kinesis-agent ]]; then
    install -m 0755 "$file" "$root/usr/lib/kinesis-agent/$name"
  else
    install -m 0644 "$file" "$root/usr/lib/kinesis-agent/$name"
  fi
done
ln -s ../lib/kinesis-agent/kinesis-agent "$root/usr/bin/kinesis-agent"

install -m 0644 "$here/kinesis-agent.service" "$root/lib/systemd/system/kinesis-agent.service"
install -m 0644 "$here/agent.json" "$root/etc/kinesis-agent/agent.json"

for script in postinst prerm postrm; do
  install -m 0755 "$here/deb/$script" "$root/DEBIAN/$script"
done
printf '/etc/kinesis-agent/agent.json\n' >"$root/DEBIAN/conffiles"
chmod 0644 "$root/DEBIAN/conffiles"

installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
  "$here/deb/control.in" >"$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control"

# Same input, same .deb: file times are clamped to the last commit's time.
if [[ -z ${SOURCE_DATE_EPOCH:-} ]] && git -C "$here" rev-parse --git-dir >/dev/null 2>&1; then
  SOURCE_DATE_EPOCH=$(git -C "$here" log -1 --format=%ct)
  export SOURCE_DATE_EPOCH
fi

# xz, not the newer zstd default of some dpkg versions: every dpkg since Debian 7 can unpack it.
rm -f "$deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "build-deb.sh: $deb ($(du -h "$deb" | cut -f1))"
