"""Public API of the accounts app: one function per use case.

Pages, API handlers, commands and other apps call these functions (and
:mod:`yiwang.accounts.selectors` for reads); they never write the accounts models directly.
Each use case lives in a module of this package; this module only re-exports them.
"""

from yiwang.accounts.services.account_admin import (
    accounts_for,
    approve_unban,
    audit_events,
    can_manage_account,
    disable_account,
    grant_staff_role,
    open_staff_account,
    pending_unban_requests,
    reject_unban,
    request_unban,
    revoke_staff_role,
)
from yiwang.accounts.services.acting import (
    acting_enterprise,
    acting_role_label,
    actor_context,
    can_act_for,
    stop_acting,
    switch_to_enterprise,
)
from yiwang.accounts.services.delegation import (
    can_manage,
    change_grant,
    decide_request,
    grant,
    grants_for_enterprise,
    grants_of,
    request_grant,
    revoke,
)
from yiwang.accounts.services.enterprises import (
    change_legal_representative,
    register_enterprise,
)
from yiwang.accounts.services.login import (
    authenticate_password,
    authenticate_sms,
    request_login_code,
)
from yiwang.accounts.services.personal_data import (
    access_log,
    find_person_for_window,
    persons_in_scope,
    record_person_business,
    unmask,
)
from yiwang.accounts.services.profile import (
    change_password,
    change_phone,
    confirm_old_phone,
    login_history,
    request_password_reset_code,
    reset_password,
    send_new_phone_code,
    send_old_phone_code,
    send_profile_code,
    update_profile,
)
from yiwang.accounts.services.provisioning import (
    provision_account,
)
from yiwang.accounts.services.qr_login import (
    cancel_qr_login,
    collect_qr_login,
    confirm_qr_login,
    create_qr_login,
    qr_login_status,
    scan_qr_login,
)
from yiwang.accounts.services.registration import (
    SECOND_FACTORS,
    current_agreement,
    register_person,
)
from yiwang.accounts.services.sms_codes import (
    check_code,
    send_code,
)
from yiwang.accounts.services.staff_auth import (
    authenticate_staff,
    begin_totp_enrolment,
    confirm_totp_enrolment,
    needs_second_factor,
    record_staff_sign_in,
    totp_enrolled,
    totp_provisioning_qr,
    verify_totp,
)
from yiwang.accounts.services.window_registration import (
    complete_window_registration,
    start_window_registration,
    window_posts,
)

__all__ = [
    "SECOND_FACTORS",
    "access_log",
    "accounts_for",
    "acting_enterprise",
    "acting_role_label",
    "actor_context",
    "approve_unban",
    "audit_events",
    "authenticate_password",
    "authenticate_sms",
    "authenticate_staff",
    "begin_totp_enrolment",
    "can_act_for",
    "can_manage",
    "can_manage_account",
    "cancel_qr_login",
    "change_grant",
    "change_legal_representative",
    "change_password",
    "change_phone",
    "check_code",
    "collect_qr_login",
    "complete_window_registration",
    "confirm_old_phone",
    "confirm_qr_login",
    "confirm_totp_enrolment",
    "create_qr_login",
    "current_agreement",
    "decide_request",
    "disable_account",
    "find_person_for_window",
    "grant",
    "grant_staff_role",
    "grants_for_enterprise",
    "grants_of",
    "login_history",
    "needs_second_factor",
    "open_staff_account",
    "pending_unban_requests",
    "persons_in_scope",
    "provision_account",
    "qr_login_status",
    "record_person_business",
    "record_staff_sign_in",
    "register_enterprise",
    "register_person",
    "reject_unban",
    "request_grant",
    "request_login_code",
    "request_password_reset_code",
    "request_unban",
    "reset_password",
    "revoke",
    "revoke_staff_role",
    "scan_qr_login",
    "send_code",
    "send_new_phone_code",
    "send_old_phone_code",
    "send_profile_code",
    "start_window_registration",
    "stop_acting",
    "switch_to_enterprise",
    "totp_enrolled",
    "totp_provisioning_qr",
    "unmask",
    "update_profile",
    "verify_totp",
    "window_posts",
]
