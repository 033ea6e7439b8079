#!/usr/bin/env bash
# Installs the Debian 12 packages that QuorumDeck's build, tests and demo cluster need.
# Idempotent: installs only what is missing and does nothing when everything is present.
# Run as root, or as a user who may use sudo.
#
#   installer/install-deps.sh            what building, the demo and the tests need
#   installer/install-deps.sh --tests    and the reference tools the tests compare with
#   installer/install-deps.sh --bench    and what bench/run.sh measures with and against
set -euo pipefail

with_tests=false
with_bench=false
for arg in "$@"; do
    case "$arg" in
    --tests) with_tests=true ;;
    --bench) with_bench=true ;;
    *)
        echo "install-deps: unknown option $arg (it takes --tests and --bench)" >&2
        exit 1
        ;;
    esac
done

packages=(
    # build
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6sql6-sqlite libgl-dev
    # Qt6Charts' CMake package needs Qt6OpenGL's, and Qt6Gui's looks for XKB: both are
    # only recommended by qt6-base-dev, so a minimal root lacks them
    libqt6opengl6-dev libxkbcommon-dev
    libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
    # kubeconfig files are YAML; demo certificates are made with OpenSSL
    libyaml-cpp-dev libssl-dev
    # passwords a user opts to keep go to the system keychain; its test runs a private
    # D-Bus session with a throw-away keyring
    qtkeychain-qt6-dev dbus gnome-keyring
    # the demo cluster and the integration tests
    etcd-server etcd-client haproxy
    # test certificates (the TLS tests make a throw-away CA with the openssl command)
    openssl
    # the icon is rendered from SVG; the package is checked by lintian, desktop-file-validate
    # and appstreamcli, and its zsh completion by zsh
    librsvg2-bin dpkg-dev lintian desktop-file-utils appstream zsh
    # benchmarks and the parser's fuzz target
    libbenchmark-dev clang libclang-rt-14-dev
)
if $with_tests; then
    packages+=(
        # Prometheus' own tools, which the tests hold the console's answers against
        # (promtool reads metrics with the parser Prometheus scrapes with), and the
        # Prometheus and Alertmanager servers the console reads as sources
        prometheus prometheus-alertmanager
        # journalctl, and the tool that writes a journal file for it to read, so that
        # the journald log source is tested against journalctl's real output
        systemd systemd-journal-remote
    )
fi
if $with_bench; then
    packages+=(
        # whole processes timed against etcdctl, the Prometheus the idle cost is compared
        # with, and the profiler that says where the time goes
        hyperfine prometheus linux-perf
    )
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "install-deps: these packages are missing and installing them needs root: ${missing[*]}" >&2
        exit 1
    fi
    sudo="sudo"
fi

echo "install-deps: installing ${missing[*]}" >&2
if [[ " ${missing[*]} " == *" prometheus "* ]]; then
    echo "install-deps: where systemd runs, Debian starts the prometheus service it installs (port 9090);" \
        "the tests never use it: they start their own on free ports" >&2
fi
if [[ " ${missing[*]} " == *" prometheus-alertmanager "* ]]; then
    echo "install-deps: where systemd runs, Debian starts the prometheus-alertmanager service it installs" \
        "(port 9093); the tests never use it: they start their own on free ports" >&2
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
