"""Checks that every code block of docs/bindings.md marked
`<!-- tested: PATH -->` is exactly the file PATH (relative to the repository
root), which the uniffi test script runs. Usage: check_doc_examples.py ROOT"""

import pathlib
import re
import sys

MARK = re.compile(r"<!-- tested: (\S+) -->\s*\n```[a-z]*\n(.*?)```", re.S)


def main(root: str) -> int:
    base = pathlib.Path(root)
    doc = (base / "docs" / "bindings.md").read_text(encoding="utf-8")
    blocks = MARK.findall(doc)
    failures = 0
    for path, body in blocks:
        text = (base / path).read_text(encoding="utf-8")
        if text != body:
            failures += 1
            print(f"docs/bindings.md: the example for {path} differs from the file")
    print(f"doc examples: {len(blocks) - failures} of {len(blocks)} match their tested files")
    return 1 if failures or not blocks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
