#!/usr/bin/env bash
# Build entry point. Installs the local AWS engines (npm) and Cake (dotnet tool), then runs build.cake.
#
#   ./build.sh build | test | unit | demo | bench | soak | pack | package  [CAKE OPTIONS...]  [-- PROGRAM ARGS...]
#
# CAKE OPTIONS are passed to Cake as they are (e.g. --verbosity=diagnostic, --hang-timeout=20m,
# and for bench --filter=*Aggregation* --job=short). PROGRAM ARGS after "--" go to the program that
# demo, bench or soak runs, replacing bench's default "--filter * --job short". soak takes --minutes N (or
# --minutes=N): how long it writes before it checks every record.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

usage() {
  cat >&2 <<'EOF'
usage: ./build.sh TARGET [CAKE OPTIONS...] [-- PROGRAM ARGS...]

targets:
  build   build the solution (Release)
  test    build, run every test project, print "N passed, N failed, N skipped" last
  unit    the fast loop: build, then run only the tests that need no local engine
          (kinesis-mock, dynalite) and no program of their own; no npm, no native publish; same last line
  demo    run samples/Demo; PROGRAM ARGS go to the demo
  bench   run the BenchmarkDotNet programs; --filter=PATTERN and --job=JOB, or PROGRAM ARGS
          for full control (default: --filter * --job short)
  soak    the whole path for --minutes N (default 3) under faults: producer, native agent on
          rotating logs, consumer workers killed and restarted, proxy faults, a split and a merge;
          then every record checked and a table printed; fails on any loss or broken order
  pack    pack the libraries (Kinesis.Clients.Core, .Producer, .Consumer) into validated NuGet
          packages with symbols, in artifacts/packages/; --package-version=X overrides packaging/VERSION
  package publish kinesis-agent for linux-x64 and linux-arm64 (native, self-contained) and build
          a checked .deb and .rpm for each into artifacts/package/; --package-version=X overrides
          packaging/VERSION (needs dpkg-deb, rpmbuild, and clang with the other architecture's GNU
          toolchain to cross-compile: installed with apt-get when missing and running as root)

examples:
  ./build.sh unit
  ./build.sh test
  ./build.sh bench --filter=*Aggregation*
  ./build.sh bench -- --filter '*Aggregation*' --job medium --memory
  ./build.sh soak --minutes 30
  ./build.sh package
EOF
  exit 2
}

[[ $# -ge 1 ]] || usage
case "$1" in
  build) target=Build ;;
  test) target=Test ;;
  unit) target=Unit ;;
  demo) target=Demo ;;
  bench) target=Bench ;;
  soak) target=Soak ;;
  pack) target=Pack ;;
  package) target=Package ;;
  -h | --help | help) usage ;;
  *)
    echo "build.sh: unknown target '$1'" >&2
    usage
    ;;
esac
shift

# Joins arguments into one command line as .NET's process start parses it, quoting only where needed.
join_for_dotnet() {
  local joined="" arg quoted i c backslashes
  for arg in "$@"; do
    if [[ -n $arg && $arg != *[[:space:]\"\\]* ]]; then
      quoted=$arg
    else
      quoted='"'
      backslashes=0
      for ((i = 0; i < ${#arg}; i++)); do
        c=${arg:i:1}
        if [[ $c == '\' ]]; then
          backslashes=$((backslashes + 1))
          continue
        fi
        if [[ $c == '"' ]]; then
          # Backslashes before a quote are doubled, and the quote itself escaped.
          backslashes=$((backslashes * 2 + 1))
        fi
        while ((backslashes > 0)); do
          quoted+='\'
          backslashes=$((backslashes - 1))
        done
        quoted+=$c
      done
      # Trailing backslashes are doubled so the closing quote stays a quote.
      backslashes=$((backslashes * 2))
      while ((backslashes > 0)); do
        quoted+='\'
        backslashes=$((backslashes - 1))
      done
      quoted+='"'
    fi
    joined+="${joined:+ }$quoted"
  done
  printf '%s' "$joined"
}

cake_args=()
program_args=()
have_program_args=0
while [[ $# -gt 0 ]]; do
  # "--minutes N" as two words, for soak (Cake itself takes --minutes=N).
  if [[ $target == Soak && $1 == "--minutes" && $# -ge 2 ]]; then
    cake_args+=("--minutes=$2")
    shift 2
    continue
  fi
  if [[ $1 == "--" ]]; then
    shift
    program_args=("$@")
    have_program_args=1
    break
  fi
  cake_args+=("$1")
  shift
done

if ((have_program_args)); then
  case "$target" in
    Bench) cake_args+=("--bench-args=$(join_for_dotnet "${program_args[@]}")") ;;
    Demo) cake_args+=("--demo-args=$(join_for_dotnet "${program_args[@]}")") ;;
    Soak) cake_args+=("--soak-args=$(join_for_dotnet "${program_args[@]}")") ;;
    *)
      echo "build.sh: '$target' takes no program arguments after '--'" >&2
      usage
      ;;
  esac
fi

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Installs Debian packages when we may (apt-get, as root), or says what is missing and stops.
apt_install() {
  local why=$1
  shift
  if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
    echo "build.sh: $why; installing $* (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
  else
    echo "build.sh: $why. Install the Debian/Ubuntu packages $* (or your system's equivalent), then run ./build.sh again." >&2
    exit 1
  fi
}

# Packaging needs dpkg-deb (>= 1.19, for --root-owner-group) and not the engines. dpkg-deb is part of dpkg,
# which every Debian and Ubuntu has; on a stripped image it is installed when we may.
if [[ $target == Package ]] && ! command -v dpkg-deb >/dev/null 2>&1; then
  apt_install "'package' builds .deb files with dpkg-deb, which is missing" dpkg
fi
# The .rpm files are built with rpmbuild and checked with rpm, rpm2cpio and cpio (Debian's rpm and cpio packages).
if [[ $target == Package ]] && { ! command -v rpmbuild >/dev/null 2>&1 || ! command -v rpm2cpio >/dev/null 2>&1 || ! command -v cpio >/dev/null 2>&1; }; then
  apt_install "'package' builds .rpm files with rpmbuild and unpacks them with rpm2cpio and cpio" rpm cpio
fi

# kinesis-agent ships as a native program (Native AOT): test, bench and package publish it, which links with
# clang or gcc. package also cross-compiles it for the other architecture: clang with that architecture's GNU
# binutils, libgcc and C library, and verify-deb.sh runs that program under qemu.
if [[ $target == Test || $target == Bench || $target == Soak || $target == Package ]] \
  && ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
  apt_install "publishing the native kinesis-agent needs a C compiler and linker (clang or gcc)" gcc libc6-dev
fi
if [[ $target == Package ]]; then
  case "$(uname -m)" in
    x86_64) cross=aarch64-linux-gnu emulator=qemu-aarch64 cross_packages=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross) ;;
    aarch64) cross=x86_64-linux-gnu emulator=qemu-x86_64 cross_packages=(gcc-x86-64-linux-gnu binutils-x86-64-linux-gnu libc6-dev-amd64-cross) ;;
    *)
      echo "build.sh: 'package' builds on x86_64 or aarch64 Linux, not $(uname -m)." >&2
      exit 1
      ;;
  esac
  if ! command -v clang >/dev/null 2>&1 || ! command -v "$cross-objcopy" >/dev/null 2>&1 || ! command -v "$cross-gcc" >/dev/null 2>&1; then
    apt_install "cross-compiling kinesis-agent for $cross needs clang and the $cross toolchain" clang "${cross_packages[@]}"
  fi
  # verify-deb.sh runs the other architecture's program under qemu's user-mode emulation when it is there.
  if ! command -v "$emulator" >/dev/null 2>&1; then
    apt_install "running the $cross program in verify-deb.sh needs $emulator" qemu-user
  fi
fi

# The local AWS engines (kinesis-mock, dynalite) are pinned in tools/emulators/package-lock.json. Packaging, packing
# and the fast loop (unit) start no engine.
if [[ $target != Package && $target != Unit && $target != Pack ]] && { ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; }; then
  echo "build.sh: Node.js 20 or newer (node and npm) must be on PATH: the tests run the local AWS engines with it." >&2
  exit 1
fi
emulators=tools/emulators
if [[ $target != Package && $target != Unit && $target != Pack ]] && [[ ! -d $emulators/node_modules || $emulators/package-lock.json -nt $emulators/node_modules/.package-lock.json ]]; then
  echo "build.sh: installing the local AWS engines (npm ci in $emulators)"
  (cd "$emulators" && npm ci --no-audit --no-fund)
fi

dotnet tool restore

summary=artifacts/test-summary.txt
rm -f "$summary"

status=0
dotnet cake build.cake "--target=$target" "${cake_args[@]}" || status=$?

# The Test and Unit targets write the totals here; printing them after Cake keeps them the last line of
# output, below Cake's task table.
if [[ ($target == Test || $target == Unit) && -f $summary ]]; then
  cat "$summary"
fi
exit "$status"
