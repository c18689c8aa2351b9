#!/usr/bin/env python3
"""The shell completions against the program: every option of `lede --help`
and `lede COMMAND --help` (names, whether it takes a value, its choices) must
be offered by completions/lede.bash, completions/_lede (zsh) and
completions/lede.fish, and they must offer nothing the program does not have.
A new option cannot be forgotten, a removed one cannot linger.

bash is run for real (its completion function, as bash calls it); the zsh and
fish files are read (their syntax is checked when zsh or fish is installed).

usage: check.py LEDE_BINARY COMPLETIONS_DIR
"""
import os
import re
import shutil
import subprocess
import sys

lede, folder = sys.argv[1], os.path.abspath(sys.argv[2])
failures = []


def fail(msg):
    failures.append(msg)


def differ(got, want):
    """What a completion lacks and has too many, against --help."""
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    return "".join([f" missing {missing}" if missing else "", f" not in lede {extra}" if extra else ""])


def run_help(*args):
    out = subprocess.run([lede, *args, "--help"], capture_output=True, text=True, check=True).stdout
    return out


class Option:
    def __init__(self, names, takes_value, choices):
        self.names = names  # e.g. ["-n", "--limit"]
        self.takes_value = takes_value
        self.choices = choices  # None or sorted list

    def __repr__(self):
        return ",".join(self.names)


def parse_help(text):
    """Options of one --help page: {name: Option}; and the subcommands."""
    options, commands = {}, []
    section = None
    for line in text.splitlines():
        if re.match(r"^\S.*:$", line):
            section = line[:-1]
            continue
        if section == "Options" and re.match(r"^  -", line):
            head = line.split()[0]
            names = head.split(",")
            rest = line[2 + len(head):]
            m = re.match(r"^ (TEXT|UINT|INT|NUMBER|FLOAT)\b(:\{([^}]*)\})?", rest)
            choices = sorted(m.group(3).split(",")) if m and m.group(3) else None
            opt = Option(names, m is not None, choices)
            for n in names:
                options[n] = opt
        elif section == "Subcommands" and re.match(r"^  \w", line):
            commands.append(line.split()[0])
    return options, commands


top_options, commands = parse_help(run_help())
if sorted(commands) != sorted(["index", "search", "stats", "compact"]):
    fail(f"lede --help lists the commands {commands}; update this test and the completions")
program = {"": top_options}
for c in commands:
    program[c] = parse_help(run_help(c))[0]


# --- bash: run the completion function -------------------------------------
def bash_complete(*words):
    script = (
        f"source {folder}/lede.bash\n"
        "COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
        "COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}\n"
        "_lede; printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    out = subprocess.run(["bash", "-c", script, "bash", "lede", *words], capture_output=True, text=True,
                         cwd="/", check=True).stdout
    return sorted(w for w in out.split("\n") if w)


got = bash_complete("")
if got != sorted(commands):
    fail(f"bash: `lede <TAB>` offers {got}, the commands are {sorted(commands)}")
for cmd, options in program.items():
    words = [cmd] if cmd else []
    want = sorted(options)
    got = bash_complete(*words, "-")
    if got != want:
        fail(f"bash: `lede {cmd} -<TAB>`:{differ(got, want)}")
    for name, opt in options.items():
        after = bash_complete(*words, name, "-")
        if opt.takes_value and after:
            fail(f"bash: `lede {cmd} {name} -<TAB>` offers options, but {name} takes a value")
        if not opt.takes_value and not after and cmd:
            fail(f"bash: `lede {cmd} {name} -<TAB>` offers nothing, but {name} is a flag")
        if opt.choices is not None:
            got = bash_complete(*words, name, "")
            if got != opt.choices:
                fail(f"bash: `lede {cmd} {name} <TAB>` offers {got}; --help has {opt.choices}")


# --- zsh: read _lede ---------------------------------------------------------
zsh_text = open(os.path.join(folder, "_lede")).read()


def zsh_block(func):
    m = re.search(r"^%s\(\) \{\n(.*?)^\}" % re.escape(func), zsh_text, re.S | re.M)
    if not m:
        fail(f"zsh: no function {func}")
        return ""
    body = m.group(1)
    if func == "_lede":  # the top level: its own _arguments call only
        body = body.split("case $state", 1)[0]
    return body


def zsh_options(body):
    body = re.sub(r"_arguments(\s+-[a-zA-Z])*", "", body)
    found = {}
    for spec in re.findall(r"(?:'[^']*'|\{[^}]*\})+", body):
        choices = None
        m = re.search(r"\]:[^:]*:\(([^)]*)\)", spec)
        if m:
            choices = sorted(m.group(1).split())
        bare = re.sub(r"\[[^\]]*\].*$", "", spec.replace("'", "").replace("{", "").replace("}", ""))
        bare = re.sub(r"^\([^)]*\)", "", bare).lstrip("*")
        for name in bare.split(","):
            m = re.fullmatch(r"(--?[A-Za-z][\w-]*)([=+]?)", name)
            if m:
                found[m.group(1)] = (m.group(2) != "", choices)
    return found


for cmd, options in program.items():
    got = zsh_options(zsh_block(f"_lede_{cmd}" if cmd else "_lede"))
    if sorted(got) != sorted(options):
        fail(f"zsh: `lede {cmd}` options:{differ(got, options)}")
    for name, (takes_value, choices) in got.items():
        opt = options.get(name)
        if opt and opt.takes_value != takes_value:
            fail(f"zsh: {cmd} {name}: takes a value in zsh: {takes_value}, in lede: {opt.takes_value}")
        if opt and opt.choices is not None and choices != opt.choices:
            fail(f"zsh: {cmd} {name} offers {choices}; --help has {opt.choices}")
m = re.search(r"commands=\((.*?)\n\s*\)", zsh_text, re.S)
zsh_commands = sorted(re.findall(r"'(\w+):", m.group(1))) if m else []
if zsh_commands != sorted(commands):
    fail(f"zsh: commands {zsh_commands}; lede has {sorted(commands)}")

# --- fish: read lede.fish ----------------------------------------------------
fish_opts = {c: {} for c in program}
fish_commands = []
current = None
for line in open(os.path.join(folder, "lede.fish")):
    m = re.match(r'set -l c "__fish_seen_subcommand_from (\w+)"', line)
    if m:
        current = m.group(1)
        continue
    if not line.startswith("complete -c lede -n"):
        continue
    cmd = "" if "not __fish_seen_subcommand_from" in line else current
    m = re.search(r" -a (\w+) -d", line)
    if cmd == "" and m:
        fish_commands.append(m.group(1))
    takes_value = bool(re.search(r" -[xr]\b", line))
    m = re.search(r" -a '([^'(]*)'", line)
    choices = sorted(m.group(1).split()) if m else None
    for short in re.findall(r" -s (\w)", line):
        fish_opts[cmd]["-" + short] = (takes_value, choices)
    for long in re.findall(r" -l ([\w-]+)", line):
        fish_opts[cmd]["--" + long] = (takes_value, choices)
if sorted(fish_commands) != sorted(commands):
    fail(f"fish: commands {sorted(fish_commands)}; lede has {sorted(commands)}")
for cmd, options in program.items():
    got = fish_opts[cmd]
    if sorted(got) != sorted(options):
        fail(f"fish: `lede {cmd}` options:{differ(got, options)}")
    for name, (takes_value, choices) in got.items():
        opt = options.get(name)
        if opt and opt.takes_value != takes_value:
            fail(f"fish: {cmd} {name}: takes a value in fish: {takes_value}, in lede: {opt.takes_value}")
        if opt and opt.choices is not None and choices != opt.choices:
            fail(f"fish: {cmd} {name} offers {choices}; --help has {opt.choices}")

# --- syntax, when the shells are here ----------------------------------------
if shutil.which("zsh"):
    r = subprocess.run(["zsh", "-n", os.path.join(folder, "_lede")], capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"zsh -n _lede: {r.stderr.strip()}")
if shutil.which("fish"):
    r = subprocess.run(["fish", "--no-execute", os.path.join(folder, "lede.fish")], capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"fish --no-execute lede.fish: {r.stderr.strip()}")

total = sum(len(set(map(id, o.values()))) for o in program.values())
if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"completions: {total} options of {len(commands)} commands agree in bash, zsh and fish")
