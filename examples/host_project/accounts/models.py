from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """The host's own user model: DRS follows AUTH_USER_MODEL."""

    department = models.CharField(max_length=100, blank=True)
