from django.apps import AppConfig


class IntakeEmailConfig(AppConfig):
    name = "aduan.intake.email"
    label = "intake_email"
    verbose_name = "Email intake"
    default_auto_field = "django.db.models.BigAutoField"
