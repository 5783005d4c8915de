"""Admin of the outbox: read only, phone numbers masked, failed SMS can be sent again."""

from django.contrib import admin, messages

from yiwang.core.http import request_actor
from yiwang.core.masking import mask_phone
from yiwang.notifications import services
from yiwang.notifications.models import Message
from yiwang.notifications.texts import TEMPLATES


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "channel",
        "masked_phone",
        "recipient_id",
        "title",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "channel", "template")
    date_hierarchy = "created_at"
    # The phone is shown masked and secret texts not at all: never the raw fields.
    fields = (
        "channel",
        "masked_phone",
        "recipient_id",
        "template",
        "purpose",
        "title",
        "shown_text",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "provider_id",
        "created_at",
        "sent_at",
        "read_at",
    )
    readonly_fields = fields
    actions = ("resend",)

    @admin.display(description="手机号码")
    def masked_phone(self, obj: Message) -> str:
        return mask_phone(obj.phone)

    @admin.display(description="内容")
    def shown_text(self, obj: Message) -> str:
        template = TEMPLATES.get(obj.template)
        if template is not None and template.secret:
            # a code or an initial password is the citizen's, not the operator's to read
            return "（含验证码或密码，不予显示）"
        return obj.text

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        # The admin is read only, yet resending changes a row and texts a citizen: it takes the
        # model's change permission, which only operators of the outbox are given.
        return request.user.has_perm("notifications.change_message")

    @admin.action(description="重新发送所选的发送失败短信", permissions=["resend"])
    def resend(self, request, queryset):
        count = services.resend_failed(
            queryset.values_list("pk", flat=True), **request_actor(request)
        )
        skipped = queryset.count() - count
        text = f"已重新发送 {count} 条短信。"
        if skipped:
            text += f"另有 {skipped} 条不是发送失败的短信，未处理。"
        self.message_user(request, text, messages.SUCCESS if count else messages.WARNING)
