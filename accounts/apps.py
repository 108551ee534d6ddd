from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_save, pre_delete

        from accounts.models import User

        # The cached moderator flag (User.is_moderator) follows every change of groups: a
        # member added to or removed from a group (either side of the relation), a group
        # renamed or deleted.
        m2m_changed.connect(_groups_changed, sender=User.groups.through)
        post_save.connect(_group_changed, sender=Group)
        pre_delete.connect(_group_changed, sender=Group)

        from accounts.models import Organisation
        from komvidere import versions

        # An organisation's name and region are facet values of the case list.
        versions.track(Organisation, versions.TAXONOMY)
        # Members as others see them, and the organisations' plans, actions and emission
        # accounts (their pages): a login changes none of it.
        from allauth.account.models import EmailAddress

        from accounts.models import ClimatePlan, EmissionRecord, PlanAction

        versions.track(User, versions.PEOPLE, ignore={"last_login"})
        versions.track(EmailAddress, versions.PEOPLE)  # verified members are listed
        versions.track(PlanAction, versions.PEOPLE)
        versions.track(ClimatePlan, versions.PEOPLE)
        versions.track(EmissionRecord, versions.PEOPLE)

        # The cached unread counts: the notification functions forget them; a row saved or
        # deleted any other way (the admin) too.
        from django.db.models.signals import post_delete

        from accounts.models import Notification

        post_save.connect(_notification_changed, sender=Notification)
        post_delete.connect(_notification_changed, sender=Notification)


def _notification_changed(sender, instance, **kwargs):
    from accounts.notifications import forget_unread

    forget_unread([instance.recipient_id])


def _forget(user_ids) -> None:
    from django.core.cache import cache

    from accounts.models import moderator_cache_key

    cache.delete_many([moderator_cache_key(pk) for pk in user_ids])


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    from accounts.models import User

    if reverse:  # group.user_set.add(...): instance is the group
        ids = pk_set if pk_set is not None else instance.user_set.values_list("pk", flat=True)
    elif isinstance(instance, User):
        ids = [instance.pk]
    else:
        return
    _forget(list(ids))


def _group_changed(sender, instance, **kwargs):
    _forget(list(instance.user_set.values_list("pk", flat=True)) if instance.pk else [])
