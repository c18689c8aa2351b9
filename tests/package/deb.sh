#!/usr/bin/env bash
# The Debian packages, end to end: build them with cpack, install them into
# this machine with apt-get, check what a user gets (lede --version, the man
# page, completions, index and search of a folder, examples/search.cpp built
# against liblede-dev with find_package and pkg-config), run lintian, then
# purge them and whatever apt-get pulled in with them. The machine is left as
# it was found, also when a check fails (trap).
#
# It changes the system, so it runs only as root and in CI (CI=true) or when
# asked (LEDE_DEB_TEST=1); otherwise it is skipped (exit 77, ctest "Skipped").
# It is skipped too when a lede package, or a file the packages would install,
# is already on the machine: it never replaces what it did not install.
set -euo pipefail
build=$1
src=$2
skip() { echo "skipped: $*"; exit 77; }
if [ "$(id -u)" -ne 0 ]; then
    skip "installs packages: needs root"
fi
if [ "${CI:-}" != "true" ] && [ "${LEDE_DEB_TEST:-}" != "1" ]; then
    skip "installs packages into this machine: runs with CI=true or LEDE_DEB_TEST=1"
fi
installed() { dpkg-query -W -f='${db:Status-Status} ${Package}\n' 2>/dev/null | awk '$1 == "installed" {print $2}' | sort; }
for p in lede liblede0 liblede-dev; do
    if installed | grep -qx "$p"; then
        skip "package $p is already installed"
    fi
done

tmp=$(mktemp -d)
installed >"$tmp/before"
cleanup() {
    local rc=$?
    set +e
    trap - EXIT
    apt-get purge -y -qq -o DPkg::Lock::Timeout=300 lede liblede0 liblede-dev >/dev/null 2>&1
    # Whatever apt-get installed as their dependencies.
    installed >"$tmp/after"
    mapfile -t extra < <(comm -13 "$tmp/before" "$tmp/after")
    if ((${#extra[@]})); then
        apt-get purge -y -qq -o DPkg::Lock::Timeout=300 "${extra[@]}" >/dev/null 2>&1
    fi
    installed >"$tmp/after"
    if ! cmp -s "$tmp/before" "$tmp/after"; then
        echo "FAIL: the installed packages differ from before the test:"
        diff "$tmp/before" "$tmp/after"
        rc=1
    fi
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Build. gzip instead of xz: the same packages, built in a third of the time.
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/debs" -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip \
    >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; fail "cpack"; }
debs=("$tmp"/debs/*.deb)
((${#debs[@]} == 3)) || fail "expected 3 packages, got: ${debs[*]}"
for deb in "${debs[@]}"; do
    while read -r path; do
        if { [ -e "$path" ] || [ -L "$path" ]; } && [ ! -d "$path" ]; then
            skip "$path already exists on this machine"
        fi
    done < <(dpkg-deb -c "$deb" | awk '{print substr($6, 2)}')
done
echo "built: $(cd "$tmp/debs" && echo *.deb)"

# Depends as dpkg-shlibdeps computed them: the command is linked with liblede
# statically, with ICU too when the build found ICU's static archives, and with
# Xapian and libstdc++ when scripts/xapian-static.sh built Xapian's archive.
cli_deb=$(ls "$tmp"/debs/lede_*.deb)
depends=$(dpkg-deb -f "$cli_deb" Depends)
case $depends in *liblede*) fail "lede depends on the library it has linked in: $depends" ;; esac
if ldd "$build/lede" | grep -q libxapian; then
    case $depends in *libxapian30*) ;; *) fail "lede loads libxapian but does not depend on it: $depends" ;; esac
else
    case $depends in *libxapian* | *libstdc++*) fail "lede has Xapian linked in but depends on it: $depends" ;; esac
fi
if ldd "$build/lede" | grep -q libicu; then
    case $depends in *libicu72*) ;; *) fail "lede loads ICU but does not depend on it: $depends" ;; esac
else
    case $depends in *libicu*) fail "lede has ICU linked in but depends on it: $depends" ;; esac
fi
echo "lede Depends: $depends"

if command -v lintian >/dev/null; then
    lint=0
    lintian --fail-on error "${debs[@]}" >"$tmp/lintian" 2>&1 || lint=$?
    grep -E '^[EW]:' "$tmp/lintian" | grep -v initial-upload-closes-no-bugs || true
    ((lint == 0)) || { cat "$tmp/lintian"; fail "lintian reports errors"; }
    echo "lintian: no errors"
else
    echo "lintian not installed: not run"
fi

# Install, as a user would.
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${debs[@]}" >"$tmp/apt.log" 2>&1 ||
    { cat "$tmp/apt.log"; fail "apt-get install"; }

[ "$(command -v lede)" = /usr/bin/lede ] || fail "lede is not /usr/bin/lede: $(command -v lede)"
/usr/bin/lede --version >"$tmp/version"
"$build/lede" --version | cmp -s - "$tmp/version" || fail "installed lede --version differs from the build's"
grep -q '^index format: lede-' "$tmp/version" || fail "--version: no index format"
grep -q '^Xapian [0-9]' "$tmp/version" || fail "--version: no Xapian version"
grep -q '^ICU [0-9]' "$tmp/version" || fail "--version: no ICU version"
echo "lede --version: $(tr '\n' ' ' <"$tmp/version")"

if command -v man >/dev/null; then
    [ "$(man -w lede)" = /usr/share/man/man1/lede.1.gz ] || fail "man -w lede: $(man -w lede 2>&1)"
    MANWIDTH=80 man lede 2>/dev/null | grep -q 'find the passage that says it' || fail "man lede does not render"
    echo "man lede: $(man -w lede)"
else
    zcat /usr/share/man/man1/lede.1.gz | grep -q '^\.TH LEDE 1' || fail "no man page at /usr/share/man/man1/lede.1.gz"
    echo "man page: /usr/share/man/man1/lede.1.gz (man-db not installed: not rendered)"
fi

# Completions: bash loads it and completes; zsh and fish find theirs.
bash_reply=$(bash -c 'source /usr/share/bash-completion/completions/lede
    COMP_WORDS=(lede sea); COMP_CWORD=1; _lede; echo "${COMPREPLY[*]}"')
[ "$bash_reply" = search ] || fail "bash completion of 'lede sea': '$bash_reply'"
test -f /usr/share/zsh/vendor-completions/_lede || fail "zsh completion not installed"
test -f /usr/share/fish/vendor_completions.d/lede.fish || fail "fish completion not installed"
echo "completions: bash completes, zsh and fish installed"

# The first run, then index and search a folder.
HOME=$tmp/home XDG_DATA_HOME='' LEDE_DB='' /usr/bin/lede search Umerov 2>"$tmp/first" && fail "search without an index succeeded"
grep -q 'lede index FOLDER' "$tmp/first" || fail "first run does not say how to make an index: $(cat "$tmp/first")"
/usr/bin/lede index -q --db "$tmp/idx" "$src/corpus"
/usr/bin/lede search --db "$tmp/idx" --no-heading Umerov | grep -q 'Umyrov' || fail "search Umerov did not find Umyrov"
echo "index and search: ok"

# The library: examples/search.cpp against the installed -dev package.
if ! { cmake -S "$src/examples" -B "$tmp/ex" -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build "$tmp/ex"; } \
    >"$tmp/ex.log" 2>&1; then
    cat "$tmp/ex.log"
    fail "building examples/ with find_package(lede)"
fi
grep -q '/usr/lib.*/cmake/lede' "$tmp/ex/CMakeCache.txt" || fail "find_package(lede) did not find the installed package"
"$tmp/ex/lede-example" "$tmp/idx" Witkoff | grep -q '\[Witkoff\]' || fail "example (shared)"
"$tmp/ex/lede-example-static" "$tmp/idx" Umerov | grep -q '\[Umyrov\]' || fail "example (static)"
# shellcheck disable=SC2046
g++ -std=c++20 "$src/examples/search.cpp" $(pkg-config --cflags --libs lede) -o "$tmp/ex-pc"
ldd "$tmp/ex-pc" | grep -Eq 'liblede.so.0 => (/usr)?/lib/' || fail "pkg-config example does not load /usr/lib*/liblede.so.0"
"$tmp/ex-pc" "$tmp/idx" '"security guarantees"' | grep -q '\[security guarantees\]' || fail "example (pkg-config)"
echo "examples: find_package (shared, static) and pkg-config ran against the installed packages"
