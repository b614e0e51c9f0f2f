from django.contrib import admin

from drs.notifications.models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin[Webhook]):
    list_display = ["id", "owner", "url", "enabled", "created_at"]
    exclude = ["secret_encrypted"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ["id", "webhook", "event", "state", "attempts", "next_attempt_at"]
    exclude = ["body"]
