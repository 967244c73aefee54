"""Checks the public API of the generated Swift sources (no Swift compiler here).

Usage: check_api.py GENERATED.swift EXPECTED.txt [--update]

It lists the public declarations of the generated file, one per line with the
enclosing type as a prefix, leaves out uniffi's own plumbing (FfiConverter*,
uniffi*, lift/lower/read/write) and test-only functions, and compares the list
with EXPECTED.txt. With --update it rewrites EXPECTED.txt instead.
"""

import difflib
import re
import sys

TEST_ONLY = {"panicProbe"}
# uniffi's own handle plumbing on every object.
INTERNAL = {"NoHandle", "uniffiCloneHandle"}
PLUMBING = re.compile(r"^(FfiConverter|uniffi|Uniffi|lift$|lower$|read$|write$|_)")
DECL = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:public|open)\s+"
    r"((?:(?:static|convenience|required|override|final)\s+)*)"
    r"(func|init|struct|enum|class|protocol|var|let|typealias)\b\s*(.*)"
)
CASE = re.compile(r"^case\s+([^{=]*)")


def strip_noise(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    return text


def declarations(text: str) -> list[str]:
    text = strip_noise(text)
    out: list[str] = []
    # stack of (type name or None, depth at which it opened, is_public_enum)
    stack: list[tuple[str | None, bool]] = []
    pending: tuple[str | None, bool] | None = None
    buf = ""
    for ch in text:
        if ch == "\n" and continues(buf):
            buf += " "
            continue
        if ch in "{};\n":
            stmt = " ".join(buf.split())
            buf = ""
            if stmt:
                pending = handle(stmt, stack, out)
            if ch == "{":
                stack.append(pending if pending else (None, False))
                pending = None
            elif ch == "}":
                if stack:
                    stack.pop()
                pending = None
            continue
        buf += ch
    return out


MODIFIER_AT_END = re.compile(
    r"\b(public|open|static|convenience|required|override|final|func|init|case)\s*$"
)


def continues(buf: str) -> bool:
    """A line break inside a declaration that the formatter would have joined."""
    return buf.count("(") > buf.count(")") or bool(MODIFIER_AT_END.search(buf)) or \
        buf.rstrip().endswith(("->", ",", ":"))


def handle(stmt, stack, out):
    outer = stack[-1] if stack else (None, False)
    hidden = any(name is None for name, _ in stack) and stack != []
    prefix = ".".join(name for name, _ in stack if name)
    m = DECL.match(stmt)
    if m:
        modifiers, kind, rest = m.group(1), m.group(2), m.group(3).strip()
        if kind in ("var", "let", "typealias", "struct", "enum", "class", "protocol"):
            rest = rest.split("=", 1)[0].strip()
        if kind == "init":
            name = "init"
        else:
            name = re.split(r"[\s(:<]", rest, maxsplit=1)[0]
        if hidden or PLUMBING.match(name) or name in TEST_ONLY or name in INTERNAL or "noHandle" in rest:
            return (None, False) if kind in ("struct", "enum", "class", "protocol") else None
        if name.startswith("FfiConverter"):
            return None
        sig = f"{' '.join(modifiers.split())} {kind} {rest}".strip()
        sig = normalise(sig)
        out.append(f"{prefix}: {sig}" if prefix else sig)
        if kind in ("struct", "enum", "class", "protocol"):
            return (name, kind == "enum")
        return None
    m = CASE.match(stmt)
    if m and outer[1] and not hidden:
        for case in split_cases(m.group(1)):
            out.append(f"{prefix}: case {case}")
    return None


def normalise(sig: str) -> str:
    sig = " ".join(sig.split())
    sig = re.sub(r"\(\s+", "(", sig)
    sig = re.sub(r"\s+\)", ")", sig)
    sig = re.sub(r"\s*,\s*", ", ", sig)
    sig = re.sub(r"\s*:\s*", ": ", sig)
    sig = re.sub(r"\s*->\s*", " -> ", sig)
    sig = re.sub(r"\)(throws|rethrows|async)", r") \1", sig)
    sig = re.sub(r"\binit \(", "init(", sig)
    sig = re.sub(r"\s*=\s*", " = ", sig)
    return sig.strip()


def split_cases(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return [normalise(p) for p in parts]


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        actual = declarations(f.read())
    if "--update" in argv[3:]:
        with open(argv[2], "w", encoding="utf-8") as f:
            f.write("\n".join(actual) + "\n")
        print(f"wrote {len(actual)} declarations to {argv[2]}")
        return 0
    with open(argv[2], encoding="utf-8") as f:
        expected = [line.rstrip("\n") for line in f if line.strip()]
    if actual == expected:
        print(f"swift api: {len(actual)} declarations match {argv[2]}")
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(
            [e + "\n" for e in expected],
            [a + "\n" for a in actual],
            fromfile="expected",
            tofile="generated",
        )
    )
    print("swift api: the generated Swift API differs from the expected one "
          "(rerun with --update if the change is intended)")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
