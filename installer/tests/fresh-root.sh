#!/usr/bin/env bash
# The README's set-up line on a Debian 12 root that has never seen the project.
#
# A machine that already holds the project's packages cannot tell whether
# installer/install-deps.sh lists them all: a package that a listed one merely recommends is
# there too. So this builds a minimal Debian 12 root (mmdebstrap --variant=minbase), puts a
# clean export of the checkout in it (git archive), and inside it runs, unchanged, the
# README's set-up line, then:
#   quorumdeck demo up, status (exit 0) and demo down on one directory (nothing left
#   running); ctest -L unit
# Any failing step fails the script, naming the step.
#
# The minimal root is cached as a tarball keyed by the day and by the package sources, so a
# second run the same day starts from it; downloaded .deb files are cached beside it. Every
# run starts the README line from a root where none of the project's packages is installed.
#
# The tree is exported at the same absolute path as this checkout. When CCACHE_DIR and
# CMAKE_CXX_COMPILER_LAUNCHER=ccache are set (as .ci/run sets them), ccache is installed in the
# root first (its package lists removed again, as they were) and the cache is mounted in it:
# with equal paths, whatever compiles the same way as on this machine is a hit, and whatever
# the root's packages leave out still fails, since a miss runs the compiler.
#
# Usage: installer/tests/fresh-root.sh [TREE-ISH]   (default HEAD; must run as root)
# Environment: QUORUMDECK_ROOT_CACHE (default /var/cache/quorumdeck-fresh-root); CCACHE_DIR
# and CMAKE_CXX_COMPILER_LAUNCHER as above.
set -euo pipefail
cd "$(dirname "$0")/../.."
readonly treeish=${1:-HEAD}
readonly cache=${QUORUMDECK_ROOT_CACHE:-/var/cache/quorumdeck-fresh-root}

step() { echo "== fresh root: $*"; }
die() {
    echo "fresh-root: $*" >&2
    exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (it builds a root file system and chroots into it)"
if ! command -v mmdebstrap >/dev/null; then
    step "installing mmdebstrap (Debian's tool for minimal roots)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >/dev/null \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends mmdebstrap >/dev/null; } || die "cannot install mmdebstrap"
fi

# The same package sources as this machine's (deb822 or one-line style).
sources=/etc/apt/sources.list.d/debian.sources
[ -s "$sources" ] || sources=/etc/apt/sources.list
[ -s "$sources" ] || die "no Debian package sources on this machine ($sources)"

# The README's test command, whose part before ctest is the set-up line that both of the
# README's commands begin with.
readme_line=$(grep -m1 -E '^installer/install-deps\.sh .*&& ctest ' README.md) \
    || die "README.md has no line 'installer/install-deps.sh ... && ctest ...'"
setup_line=${readme_line%% && ctest *}

mkdir -p "$cache/archives/partial"
key="$(date -u +%Y%m%d)-$(sha256sum "$sources" | cut -c1-12)"
tarball="$cache/minbase-bookworm-$key.tar"
if [ ! -s "$tarball" ]; then
    step "making a minimal Debian 12 root ($tarball)"
    rm -rf "$cache"/minbase-bookworm-*
    mmdebstrap --variant=minbase --format=tar --quiet bookworm "$tarball.part" "$sources" || die "mmdebstrap failed"
    mv "$tarball.part" "$tarball"
else
    step "reusing today's minimal Debian 12 root ($tarball)"
fi

work=$(mktemp -d /var/tmp/quorumdeck-fresh-root.XXXXXX)
cleanup() {
    # The namespace's mounts went with it; only files remain.
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT
root="$work/root"
mkdir "$root"
tar -C "$root" -xf "$tarball"
# Nothing of the project's is installed in it: the minimal root is the start.
for p in cmake qt6-base-dev libgrpc++-dev etcd-server haproxy; do
    if chroot "$root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        die "the minimal root already has $p installed"
    fi
done

# The same path as here, unless it lies where the root mounts file systems of its own.
case "$PWD" in
/tmp/* | /proc/* | /sys/* | /dev/*) readonly tree=/root/quorumdeck ;;
*) readonly tree=$PWD ;;
esac
step "exporting $treeish with git archive to $tree in the root"
mkdir -p "$root$tree"
git archive "$treeish" | tar -C "$root$tree" -x
ccache_dir=""
if [ "${CMAKE_CXX_COMPILER_LAUNCHER:-}" = ccache ] && [ -d "${CCACHE_DIR:-}" ]; then
    ccache_dir=$CCACHE_DIR
    mkdir -p "$root/var/cache/ccache"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
# As in any chroot: packages must not start their services (etcd, HAProxy) while installed;
# they would share this machine's network and ports.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

cat >"$root/root/run.sh" <<EOF
#!/bin/bash
# Runs inside the root, as root, in a PID namespace of its own.
set -uo pipefail
cd "$tree"
fail() { echo "fresh-root: FAILED at step: \$1" >&2; exit 1; }
if [ -n "$ccache_dir" ]; then
    echo "== fresh root: ccache, for the compiler cache (not a dependency of the project's)"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ccache; } \
        >/dev/null || fail "installing ccache"
    rm -rf /var/lib/apt/lists/*
    export CCACHE_DIR=/var/cache/ccache CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
echo "== fresh root: the README's set-up line: $setup_line"
bash -c '$setup_line' || fail "the README's set-up line"
echo "== fresh root: quorumdeck demo up"
build/app/quorumdeck demo up --dir /root/demo || fail "quorumdeck demo up"
echo "== fresh root: quorumdeck status"
build/app/quorumdeck status --dir /root/demo || fail "quorumdeck status (exit \$?)"
echo "== fresh root: quorumdeck demo down"
build/app/quorumdeck demo down --dir /root/demo || fail "quorumdeck demo down"
left=""
for d in /proc/[0-9]*; do
    comm=\$(cat "\$d/comm" 2>/dev/null) || continue
    case "\$comm" in etcd | haproxy | quorumdeck) left="\$left \$comm(\${d#/proc/})" ;; esac
done
[ -z "\$left" ] || fail "demo down left processes running:\$left"
echo "== fresh root: ctest -L unit"
QUORUMDECK_TESTS_FORBID_SKIP=1 ctest --test-dir build -L unit --output-on-failure --no-tests=error \
    || fail "ctest -L unit"
echo "== fresh root: every step passed"
EOF
chmod +x "$root/root/run.sh"

step "running the README's set-up line and the checks inside the root"
# A mount and PID namespace of its own: /dev, /proc and /sys are the root's for as long as it
# runs, and whatever it leaves running ends with it. Downloaded packages are kept for the
# next run.
export root cache ccache_dir
unshare --mount --pid --fork --kill-child -- bash -c '
    set -e
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount -t tmpfs tmpfs "$root/tmp"
    mount --bind "$cache/archives" "$root/var/cache/apt/archives"
    [ -z "$ccache_dir" ] || mount --bind "$ccache_dir" "$root/var/cache/ccache"
    exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /root/run.sh
' || die "a step inside the root failed (named above)"
step "passed"
