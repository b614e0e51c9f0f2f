from django.contrib import admin

from drs.servers.models import Interpreter, Server


@admin.register(Server)
class ServerAdmin(admin.ModelAdmin[Server]):
    list_display = ["name", "kind", "hostname", "port", "host_key_fingerprint", "enabled"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "hostname"]
    readonly_fields = ["host_key_fingerprint"]
    filter_horizontal = ["interpreters"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        from drs.servers.hostkeys import fingerprint, parse_host_key

        if obj.host_key.strip():
            obj.host_key = parse_host_key(obj.host_key)
            obj.host_key_fingerprint = fingerprint(obj.host_key)
        else:
            obj.host_key, obj.host_key_fingerprint = "", ""
        super().save_model(request, obj, form, change)


@admin.register(Interpreter)
class InterpreterAdmin(admin.ModelAdmin[Interpreter]):
    list_display = ["name", "path", "arguments"]
