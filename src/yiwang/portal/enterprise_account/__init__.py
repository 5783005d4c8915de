"""法人用户 pages of the portal: registration, my enterprises, delegation, acting for an enterprise.

Thin views over :mod:`yiwang.accounts.services` and :mod:`yiwang.accounts.selectors`; the forms
only parse what was typed, the services apply the rules and their messages are shown next to the
field they name.
"""
