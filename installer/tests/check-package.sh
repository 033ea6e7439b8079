#!/usr/bin/env bash
# Builds the Debian package from a configured and built tree and checks it as a user would
# meet it: its contents, the unpacked binary against a real demo cluster, lintian, the
# desktop entry, the AppStream metainfo, the man page, and that the man page and the bash
# completions (bash and zsh) name every command and option the CLI's own help lists.
# Usage: installer/tests/check-package.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
cleanup() {
    if [ -x "$work/root/usr/bin/quorumdeck" ] && [ -f "$work/demo/cluster.json" ]; then
        "$work/root/usr/bin/quorumdeck" demo down --dir "$work/demo" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "check-package: $*" >&2; exit 1; }

echo "== building the package"
rm -f "$build"/quorumdeck_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/quorumdeck_*_*.deb)
case $(basename "$deb") in
    quorumdeck_*_amd64.deb | quorumdeck_*_arm64.deb | quorumdeck_*_*.deb) ;;
    *) fail "unexpected package name $(basename "$deb")" ;;
esac
echo "$(basename "$deb")"

echo "== contents"
dpkg-deb -c "$deb" | awk '{print $6}' > "$work/contents"
arch_lib=$(grep 'libquorumdeck-core.so$' "$work/contents" | head -n1)
for f in ./usr/bin/quorumdeck "$arch_lib" \
    ./usr/share/applications/io.github.quorumdeck.QuorumDeck.desktop \
    ./usr/share/metainfo/io.github.quorumdeck.QuorumDeck.metainfo.xml \
    ./usr/share/icons/hicolor/scalable/apps/io.github.quorumdeck.QuorumDeck.svg \
    ./usr/share/icons/hicolor/48x48/apps/io.github.quorumdeck.QuorumDeck.png \
    ./usr/share/icons/hicolor/128x128/apps/io.github.quorumdeck.QuorumDeck.png \
    ./usr/share/icons/hicolor/256x256/apps/io.github.quorumdeck.QuorumDeck.png \
    ./usr/share/man/man1/quorumdeck.1.gz \
    ./usr/share/bash-completion/completions/quorumdeck \
    ./usr/share/zsh/vendor-completions/_quorumdeck \
    ./usr/share/doc/quorumdeck/copyright ./usr/share/doc/quorumdeck/changelog.gz; do
    grep -qxF "$f" "$work/contents" || fail "the package lacks $f"
done
grep -q 'quorumdeck-gui.so$' "$work/contents" || fail "the package lacks the window module"
grep -q 'quorumdeck-tools.so$' "$work/contents" || fail "the package lacks the tools module"
grep -q 'libquorumdeck-cluster.so$' "$work/contents" || fail "the package lacks the cluster library"
grep -q 'libquorumdeck-keychain.so$' "$work/contents" || fail "the package lacks the keychain library"
control=$(dpkg-deb -f "$deb" Recommends Depends Section Priority Maintainer Homepage Version)
for want in "etcd-server" "etcd-client" "haproxy" "libqt6core6" "libgrpc++" "Section: admin" "Homepage: http"; do
    grep -F "$want" <<< "$control" >/dev/null || fail "control field missing: $want"
done

echo "== the unpacked binary against a demo cluster"
dpkg-deb -x "$deb" "$work/root"
qd="$work/root/usr/bin/quorumdeck"
version=$("$qd" --version)
grep -E '^quorumdeck [0-9]+\.[0-9]+\.[0-9]+' <<< "$version" >/dev/null || fail "--version printed: $version"
echo "$version"
"$qd" demo up --dir "$work/demo" --members 1 >/dev/null
status=$("$qd" status --dir "$work/demo" -w json) || fail "status --dir exited $?"
grep -F '"members"' <<< "$status" >/dev/null || fail "status --dir printed: $status"
"$qd" demo down --dir "$work/demo" >/dev/null

echo "== lintian"
lintian --fail-on error,warning --allow-root "$deb"

echo "== desktop entry and AppStream"
desktop-file-validate "$work/root/usr/share/applications/io.github.quorumdeck.QuorumDeck.desktop"
appstreamcli validate --no-net "$work/root/usr/share/metainfo/io.github.quorumdeck.QuorumDeck.metainfo.xml"

echo "== man page"
zcat "$work/root/usr/share/man/man1/quorumdeck.1.gz" > "$work/quorumdeck.1"
warnings=$(groff -man -ww -z "$work/quorumdeck.1" 2>&1 || true)
[ -z "$warnings" ] || fail "the man page has groff warnings: $warnings"

echo "== the man page and the completion cover the CLI's help"
"$src/tests/docs/help-covered.sh" "$qd" "$work/quorumdeck.1" \
    "$work/root/usr/share/bash-completion/completions/quorumdeck" \
    "$work/root/usr/share/zsh/vendor-completions/_quorumdeck"
echo "package checks passed: $(basename "$deb")"
