"""``pubdoctor check --fix`` / ``--diff``: safe, unambiguous fixes of workflow findings.

`engine` runs the fixable rules, asks each finding's fixer (one module per concern:
`permissions`, `steps`, `action`) for `text.Edit`s of the original text, and repeats until
nothing changes; `text` locates the nodes with ruamel.yaml and splices the edits, so every
byte that is not part of a fix stays as it was.
"""
