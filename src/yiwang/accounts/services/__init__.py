"""Public API of the accounts app: one function per use case.

Pages, API handlers, commands and other apps call these functions (and
:mod:`yiwang.accounts.selectors` for reads); they never write the accounts models directly.
Each use case lives in a module of this package; this module only re-exports them.
"""

# --- registration, sign-in, SMS codes, self-service (registration.py, login.py, sms.py, …) ---

# --- enterprises and delegation (enterprises.py, delegation.py) ---

# --- staff, window registration, account management, personal data (staff.py, …) ---

__all__: list[str] = []
