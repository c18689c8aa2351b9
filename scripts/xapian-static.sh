#!/usr/bin/env bash
# Build Xapian as a static library for the lede command, once, into
# .deps/xapian-VERSION/ (the prefix is printed on stdout; nothing when skipped).
#
#   bash scripts/xapian-static.sh [CMAKE ARGS...]
#
# Why: Debian ships libxapian only as a shared library, and loading and
# relocating libxapian.so and libstdc++.so against each other is most of the
# start-up of every `lede search` (docs/BENCHMARKS.md, "Round 11: start-up").
# Linked from an archive, with libstdc++ linked statically as well, the command
# needs only libc, libm and libz from the loader.
#
# The source is the one Debian builds its package from: the upstream tarball
# of the version of libxapian-dev installed (xapian-core_VERSION.orig.tar.xz in
# Debian's pool; Debian applies no patches to 1.4.22), checked against the
# SHA-256 of Debian's source index. The index format is Xapian's, so the
# command and the library (which links Debian's libxapian) read and write the
# same databases.
#
# One fix is applied to the source (the build's stamp, .built, names it, so
# that an older build is replaced): AndMaybePostList::next(), where an
# AND_MAYBE that can no longer reach the weight a document needs turns into
# an AND, skipped to max(lhead, rhead) + 1 and so dropped the right side's
# current document, rhead, which a check() had moved past lhead: a passage
# that belonged in the top candidates was never weighed (`income tax cuts` on
# a SOTU index of five segments lost one at BM25 rank 38; a one-line fix,
# max(lhead + 1, rhead), as Xapian fixed the same step of OR -> AND in 2010;
# still there in 1.4.32 and in master's matcher). Debian's shared libxapian,
# which the library links, is unchanged (docs/SCALING.md). The test
# tests/xapian/matcher_test.cpp fails without the fix.
#
# Skipped, with a note on stderr, and the command then links Debian's shared
# libxapian as before: with LEDE_STATIC_XAPIAN=0, under the sanitizers
# (-DLEDE_SANITIZE=ON among the arguments), for a version whose checksum is not
# listed here, or when the download or the build fails.
# Environment: LEDE_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail
cd "$(dirname "$0")/.."

note() { printf 'xapian-static: %s\n' "$*" >&2; }
skip() {
  note "$* -- the lede command links Debian's shared libxapian"
  exit 0
}

[ "${LEDE_STATIC_XAPIAN:-1}" = "0" ] && exit 0
for a in "$@"; do
  case "$a" in -DLEDE_SANITIZE=ON | -DLEDE_SANITIZE=1 | -DLEDE_SANITIZE=TRUE) exit 0 ;; esac
done

version=$(dpkg-query -W -f='${Version}' libxapian-dev 2>/dev/null || true)
version=${version%%-*} # the upstream version: 1.4.22-1 -> 1.4.22
declare -A sha256=(
  [1.4.22]=05884af00b06702ce486057d62a3bfbe6606cf965ada0f5ea570b328a2fa1ea8
)
[ -n "$version" ] || skip "libxapian-dev is not installed"
[ -n "${sha256[$version]:-}" ] || skip "no checksum listed for Xapian $version"

root=$PWD/.deps
prefix=$root/xapian-$version
stamp="lede fixes: andmaybe-decay"
if [ "$(cat "$prefix/.built" 2>/dev/null)" = "$stamp" ] && [ -f "$prefix/lib/libxapian.a" ]; then
  echo "$prefix"
  exit 0
fi

mkdir -p "$root"
tarball=$root/xapian-core_$version.orig.tar.xz
url=${LEDE_DEBIAN_MIRROR:-http://deb.debian.org/debian}/pool/main/x/xapian-core/xapian-core_$version.orig.tar.xz
if ! echo "${sha256[$version]}  $tarball" | sha256sum -c --status 2>/dev/null; then
  note "downloading $url"
  curl -fsSL --retry 3 -o "$tarball.part" "$url" || skip "download of $url failed"
  echo "${sha256[$version]}  $tarball.part" | sha256sum -c --status || skip "checksum mismatch for $url"
  mv "$tarball.part" "$tarball"
fi

src=$root/build-xapian-$version
rm -rf "$src" "$prefix"
mkdir -p "$src"
tar -xJf "$tarball" -C "$src" --strip-components=1 || skip "cannot unpack $tarball"
fix=$src/matcher/andmaybepostlist.cc
grep -q 'std::max(lhead, rhead) + 1' "$fix" || skip "the AND_MAYBE fix does not apply to Xapian $version"
sed -i 's/std::max(lhead, rhead) + 1/std::max(lhead + 1, rhead)/' "$fix"
note "building Xapian $version as a static library (once, a few minutes): $prefix"
# Debian's compiler flags (hardening included), without debug information.
flags=$(dpkg-buildflags --get CXXFLAGS 2>/dev/null | sed 's/\(^\| \)-g\( \|$\)/ /g' || echo -O2)
if ! (cd "$src" &&
  ./configure -q --prefix="$prefix" --disable-shared --enable-static --disable-backend-chert \
    --disable-documentation CXXFLAGS="$flags" CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS 2>/dev/null || true)" \
    >configure.log 2>&1 &&
  make -s -j2 >make.log 2>&1 &&
  make -s install >install.log 2>&1); then
  tail -n 5 "$src"/*.log >&2 || true
  rm -rf "$prefix"
  skip "the build failed (logs in $src)"
fi
echo "$stamp" >"$prefix/.built"
rm -rf "$src"
echo "$prefix"
